package io.streampatterns.core;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateOptionsTest {
    private static final Configuration CONF = new Configuration();

    private static StateOptions windows(Duration slide) {
        return StateOptions.of("aggregate").with("--key", "user").with("--window", Duration.ofMinutes(10)).with("--slide", slide);
    }

    @Test
    void theFirstRunRecordsTheOptionsAndARestartWithTheSameOnesPasses(@TempDir Path dir) throws Exception {
        String ckpt = dir.resolve("ckpt").toString();
        windows(Duration.ofMinutes(1)).check(CONF, ckpt);
        String recorded = Files.readString(dir.resolve("ckpt").resolve(StateOptions.FILE));
        assertTrue(recorded.contains("\"--slide\" : \"1m\"") && recorded.contains("\"--window\" : \"10m\""), recorded);
        windows(Duration.ofMinutes(1)).check(CONF, ckpt);
        windows(Duration.ofSeconds(60)).check(CONF, "file:" + dir.resolve("ckpt").toAbsolutePath()); // same value, URI form
    }

    @Test
    void aChangedOptionIsRefusedWithItsNameTheRecordedAndTheNewValueAndTheWayOut(@TempDir Path dir) {
        String ckpt = dir.resolve("ckpt").toString();
        windows(Duration.ofMinutes(1)).check(CONF, ckpt);
        ConfigException e = assertThrows(ConfigException.class, () -> windows(Duration.ofMinutes(2)).check(CONF, ckpt));
        assertEquals("--slide changed from 1m to 2m since the checkpoint " + ckpt + " was written (its aggregate state was"
                + " built with 1m): run with --slide 1m, or start over with a new checkpoint directory", e.getMessage());
    }

    @Test
    void anOptionTheCheckpointDoesNotHoldYetIsAddedThenChecked(@TempDir Path dir) {
        String ckpt = dir.resolve("ckpt").toString();
        StateOptions.of("sessions").with("--gap", Duration.ofMinutes(5)).check(CONF, ckpt);
        StateOptions.of("sessions").with("--gap", Duration.ofMinutes(5)).with("--max-duration", Duration.ofHours(4)).check(CONF, ckpt);
        ConfigException e = assertThrows(ConfigException.class, () -> StateOptions.of("sessions")
                .with("--gap", Duration.ofMinutes(5)).with("--max-duration", Duration.ofHours(2)).check(CONF, ckpt));
        assertTrue(e.getMessage().startsWith("--max-duration changed from 4h to 2h"), e.getMessage());
    }
}
