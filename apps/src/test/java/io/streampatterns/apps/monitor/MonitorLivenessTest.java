package io.streampatterns.apps.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.streampatterns.dashboard.DashboardCommand;
import io.streampatterns.dashboard.DashboardServer;
import io.streampatterns.dashboard.ServerOptions;
import io.streampatterns.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, as an operator sees it through the dashboard ({@code /api/health}, {@code /metrics}): the continuous
 * {@code monitor} in a JVM of its own is active; killed with SIGKILL it cannot say so, and its queries turn stale once
 * their last heartbeat is older than the limit; started again they are active again; stopped with SIGTERM they are
 * recorded as stopped.
 */
class MonitorLivenessTest {
    static final Duration STALE_AFTER = Duration.ofSeconds(20);
    static final List<String> QUERIES = List.of("monitor-alerts", "monitor-metrics");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void killedPipelineTurnsStaleAfterTheLimitRestartedActiveAgainStoppedOnSigterm() throws Exception {
        Path in = MonitorCrashTest.input(dir);
        Path rules = dir.resolve("rules.yaml");
        try (var yaml = MonitorLivenessTest.class.getClassLoader().getResourceAsStream("sample/monitor/rules.yaml")) {
            Files.write(rules, yaml.readAllBytes());
        }
        Path output = dir.resolve("monitor");
        String[] args = MonitorCrashTest.args(in, output, rules, false);
        try (DashboardServer server = DashboardServer.start(ServerOptions.defaults().port(0),
                JsonNodeFactory.instance::objectNode, DashboardCommand.progressOf(output.toUri(), STALE_AFTER))) {
            try (ChildJvm first = ChildJvm.start(dir.resolve("run1.log"), MonitorCommand.class.getName(), args)) {
                // killed after each query's first commit: Spark 4.2 refuses to restart a query killed within its
                // first batch (STATE_STORE_CHECKPOINT_LOCATION_NOT_EMPTY: offsets/0 without commits/0)
                assertTrue(first.awaitCondition(() -> allIn(server, "active") && QUERIES.stream().allMatch(q -> ChildJvm.countFiles(
                        output.resolve("_checkpoints").resolve(q.substring("monitor-".length())).resolve("commits"), "\\d+") >= 1),
                        Duration.ofMinutes(6)), "not all active and committed: " + states(server) + "\n" + first.tail());
                first.kill9();
            }
            Instant killed = Instant.now();
            assertTrue(await(() -> allIn(server, "stale"), STALE_AFTER.plusMinutes(1)), "not all stale: " + states(server));
            Instant seenStale = Instant.now();
            for (JsonNode q : queries(server).values()) {
                Instant since = Instant.parse(q.path("staleSince").asText());
                assertEquals(q.path("heartbeat").asText(), q.path("staleSince").asText(), "stale since its last heartbeat");
                assertTrue(since.isBefore(killed), since + " before the kill at " + killed);
                assertFalse(seenStale.isBefore(since.plus(STALE_AFTER)), "stale only once the heartbeat is older than the limit");
                assertTrue(q.path("active").asBoolean(), "the file still says active: only the heartbeat tells");
            }
            String metrics = get(server, "metrics");
            for (String name : QUERIES) {
                assertTrue(metrics.matches("(?s).*\nstreampatterns_query_up\\{query=\"" + name + "\",id=\"[^\"]+\"} 0\n.*"), metrics);
                assertTrue(metrics.matches("(?s).*\nstreampatterns_query_last_heartbeat_timestamp_seconds\\{query=\"" + name
                        + "\",id=\"[^\"]+\"} \\d+(\\.\\d+)?\n.*"), metrics);
            }

            try (ChildJvm second = ChildJvm.start(dir.resolve("run2.log"), MonitorCommand.class.getName(), args)) {
                assertTrue(second.awaitCondition(() -> allIn(server, "active"), Duration.ofMinutes(4)),
                        "not active again: " + states(server) + "\n" + second.tail());
                assertTrue(get(server, "metrics").contains("streampatterns_query_up{query=\"monitor-metrics\""));
                second.terminate();
                second.awaitExit(Duration.ofMinutes(3));
            }
            assertEquals(Map.of("monitor-alerts", "stopped", "monitor-metrics", "stopped"),
                    states(server), () -> "SIGTERM stops each query after its batch and records it: " + queries(server));
        }
    }

    private boolean allIn(DashboardServer server, String state) {
        Map<String, String> s = states(server);
        return s.keySet().equals(new java.util.TreeSet<>(QUERIES)) && s.values().stream().allMatch(state::equals);
    }

    /** Query name → state, from {@code /api/health}. */
    private Map<String, String> states(DashboardServer server) {
        Map<String, String> s = new TreeMap<>();
        queries(server).forEach((name, q) -> s.put(name, q.path("state").asText()));
        return s;
    }

    private Map<String, JsonNode> queries(DashboardServer server) {
        Map<String, JsonNode> byName = new TreeMap<>();
        try {
            for (JsonNode q : new ObjectMapper().readTree(get(server, "api/health")).path("queries")) {
                byName.put(q.path("name").asText(), q);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return byName;
    }

    private String get(DashboardServer server, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return condition.getAsBoolean();
    }
}
