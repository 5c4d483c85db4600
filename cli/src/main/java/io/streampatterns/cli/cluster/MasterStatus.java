package io.streampatterns.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What the standalone master reports at {@code WEB_UI/json/}: its workers and the applications running on them. */
public record MasterStatus(String status, List<Worker> workers, List<App> activeApps) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Worker(String id, String state, int cores, int coresUsed, int memoryMb, int memoryUsedMb) {
    }

    public record App(String id, String name, int cores, String state) {
    }

    public MasterStatus {
        workers = List.copyOf(workers);
        activeApps = List.copyOf(activeApps);
    }

    public static MasterStatus parse(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<Worker> workers = new ArrayList<>();
            for (JsonNode w : root.path("workers")) {
                workers.add(new Worker(w.path("id").asText(), w.path("state").asText(), w.path("cores").asInt(),
                        w.path("coresused").asInt(), w.path("memory").asInt(), w.path("memoryused").asInt()));
            }
            List<App> apps = new ArrayList<>();
            for (JsonNode a : root.path("activeapps")) {
                apps.add(new App(a.path("id").asText(), a.path("name").asText(), a.path("cores").asInt(), a.path("state").asText()));
            }
            return new MasterStatus(root.path("status").asText(), workers, apps);
        } catch (IOException e) {
            throw new UncheckedIOException("the master's status is not JSON: " + e.getMessage(), e);
        }
    }

    public List<Worker> aliveWorkers() {
        return workers.stream().filter(w -> w.state().equals("ALIVE")).toList();
    }

    /** E.g. {@code master ALIVE: 2 workers alive, 1 of 2 cores used, 1024 of 2048 MiB used; 1 application running}. */
    public String summary() {
        List<Worker> alive = aliveWorkers();
        return "master " + status + ": " + alive.size() + " worker" + (alive.size() == 1 ? "" : "s") + " alive, "
                + alive.stream().mapToInt(Worker::coresUsed).sum() + " of " + alive.stream().mapToInt(Worker::cores).sum()
                + " cores used, " + alive.stream().mapToInt(Worker::memoryUsedMb).sum() + " of "
                + alive.stream().mapToInt(Worker::memoryMb).sum() + " MiB used; " + activeApps.size() + " application"
                + (activeApps.size() == 1 ? "" : "s") + " running";
    }
}
