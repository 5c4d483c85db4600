package io.streampatterns.cli.cluster;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterOptionsTest {
    private static final Path DIR = Path.of("/tmp/c");

    @Test
    void memoryIsReadAsSparkWritesIt() {
        assertEquals(1024, ClusterOptions.of(2, 1, "1g", DIR).memoryMb());
        assertEquals(1536, ClusterOptions.of(2, 1, "1536m", DIR).memoryMb());
        assertEquals(2048, ClusterOptions.of(2, 1, " 2G ", DIR).memoryMb());
    }

    @Test
    void eachBadValueNamesItsOption() {
        assertMessage("--workers: must be between 1 and 16, was 0", () -> ClusterOptions.of(0, 1, "1g", DIR));
        assertMessage("--workers: must be between 1 and 16, was 17", () -> ClusterOptions.of(17, 1, "1g", DIR));
        assertMessage("--cores: must be at least 1, was 0", () -> ClusterOptions.of(1, 0, "1g", DIR));
        assertMessage("--memory: cannot parse '1gb' as a size (e.g. 512m, 1g)", () -> ClusterOptions.of(1, 1, "1gb", DIR));
        assertMessage("--memory: cannot parse '' as a size (e.g. 512m, 1g)", () -> ClusterOptions.of(1, 1, "", DIR));
        assertMessage("--memory: must be at least 512m (an executor needs 450m), was 256m",
                () -> ClusterOptions.of(1, 1, "256m", DIR));
    }

    @Test
    void theDefaultRunDirectoryIsUnderTheHomeDirectory() {
        assertEquals(Path.of(System.getProperty("user.home"), ".streampatterns", "cluster"), ClusterOptions.defaultDir());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        assertEquals(expected, assertThrows(ConfigException.class, e).getMessage());
    }
}
