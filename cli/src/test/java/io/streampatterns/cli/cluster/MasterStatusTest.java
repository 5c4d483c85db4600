package io.streampatterns.cli.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MasterStatusTest {
    @Test
    void readsTheWorkersOfARealMastersJson() throws IOException {
        MasterStatus s = MasterStatus.parse(resource("cluster/master-two-workers.json"));
        assertEquals("ALIVE", s.status());
        assertEquals(List.of(
                new MasterStatus.Worker("worker-20261202094823-127.0.0.1-39587", "ALIVE", 1, 0, 1024, 0),
                new MasterStatus.Worker("worker-20261202094821-127.0.0.1-35503", "ALIVE", 1, 0, 1024, 0)), s.workers());
        assertEquals("master ALIVE: 2 workers alive, 0 of 2 cores used, 0 of 2048 MiB used; 0 applications running", s.summary());
    }

    @Test
    void countsOnlyAliveWorkersAndListsRunningApplications() {
        MasterStatus s = MasterStatus.parse("""
                {"status":"ALIVE","workers":[
                  {"id":"w1","state":"ALIVE","cores":1,"coresused":1,"memory":1024,"memoryused":1024},
                  {"id":"w2","state":"DEAD","cores":1,"coresused":0,"memory":1024,"memoryused":0}],
                 "activeapps":[{"id":"app-1","name":"ingest","cores":1,"state":"RUNNING"}]}""");
        assertEquals(List.of("w1"), s.aliveWorkers().stream().map(MasterStatus.Worker::id).toList());
        assertEquals(List.of(new MasterStatus.App("app-1", "ingest", 1, "RUNNING")), s.activeApps());
        assertEquals("master ALIVE: 1 worker alive, 1 of 1 cores used, 1024 of 1024 MiB used; 1 application running", s.summary());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MasterStatusTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
