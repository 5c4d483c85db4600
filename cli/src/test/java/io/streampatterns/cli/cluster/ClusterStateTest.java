package io.streampatterns.cli.cluster;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterStateTest {
    private static final ClusterState STATE = new ClusterState("spark://127.0.0.1:7077", "http://127.0.0.1:8080",
            new ClusterState.Daemon(11, LocalCluster.MASTER_CLASS, "/d/logs/master.log"),
            List.of(new ClusterState.Daemon(12, LocalCluster.WORKER_CLASS, "/d/logs/worker-1.log"),
                    new ClusterState.Daemon(13, LocalCluster.WORKER_CLASS, "/d/logs/worker-2.log")), 1, 1024);

    @Test
    void whatStartWroteIsWhatStatusAndStopRead(@TempDir Path dir) {
        STATE.write(dir);
        assertEquals(Optional.of(STATE), ClusterState.read(dir));
        assertFalse(Files.exists(dir.resolve(ClusterState.FILE + ".tmp")));
    }

    @Test
    void noFileMeansNoCluster(@TempDir Path dir) {
        assertEquals(Optional.empty(), ClusterState.read(dir.resolve("never-started")));
        STATE.write(dir);
        ClusterState.delete(dir);
        assertEquals(Optional.empty(), ClusterState.read(dir));
    }

    @Test
    void stopTakesTheWorkersBeforeTheMaster() {
        assertEquals(List.of(12L, 13L, 11L), STATE.daemons().stream().map(ClusterState.Daemon::pid).toList());
    }

    @Test
    void aFileThatIsNotAStateNamesTheDirOption(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ClusterState.FILE), "{not json");
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterState.read(dir));
        assertTrue(e.getMessage().startsWith("--dir: " + dir.resolve(ClusterState.FILE) + " is not a cluster state file"),
                e.getMessage());
    }

    @Test
    void aDaemonWhosePidRunsAnotherProgramIsNotTakenForAlive() {
        long self = ProcessHandle.current().pid();
        assertFalse(LocalCluster.isAlive(new ClusterState.Daemon(self, LocalCluster.MASTER_CLASS, "x")));
    }
}
