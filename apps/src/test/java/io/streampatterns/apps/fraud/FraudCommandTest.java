package io.streampatterns.apps.fraud;

import io.streampatterns.apps.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Configuration errors of {@code fraud} and {@code model}: one line, exit code 2, before any Spark work. */
class FraudCommandTest {
    @Test
    void fraudNeedsFilesOrKafkaAndChecksItsOptions(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        String out = dir.resolve("out").toString();
        assertEquals(2, Cli.execute(new FraudCommand(), "--output", out));
        assertEquals(2, Cli.execute(new FraudCommand(), "--events", in.toString(), "--labels", dir.resolve("nope").toString(),
                "--output", out));
        assertEquals(2, Cli.execute(new FraudCommand(), "--events", in.toString(), "--labels", in.toString(),
                "--output", out, "--alerts-topic", "alerts"));
        assertEquals(2, Cli.execute(new FraudCommand(), "--events", in.toString(), "--labels", in.toString(),
                "--output", out, "--threshold", "1.5"));
        assertEquals(2, Cli.execute(new FraudCommand(), "--events", in.toString(), "--labels", in.toString(),
                "--output", out, "--label-timeout", "soon"));
        assertEquals(2, Cli.execute(new FraudCommand(), "--kafka", "localhost:9092", "--output", out));
    }

    @Test
    void modelNeedsAKnownActionAndRollbackAVersion(@TempDir Path dir) {
        assertEquals(2, Cli.execute(new ModelCommand(), "delete", "--output", dir.toString()));
        assertEquals(2, Cli.execute(new ModelCommand(), "rollback", "--output", dir.toString()));
    }
}
