package io.streampatterns.apps.generate;

import io.streampatterns.apps.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new GenerateCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void writesTheDatasetAndReportsWhatItWrote() throws IOException {
        Path dir = tmp.resolve("logs");
        assertEquals(0, run("apache-logs", "--out", dir.toString(), "--events", "2500", "--seed", "3",
                "--events-per-file", "1000", "--start", "2024-06-01T08:00:00Z"));
        assertTrue(out.toString().startsWith("generated 2500 apache-logs events in 3 files in " + dir), out.toString());
        List<String> first = Files.readAllLines(dir.resolve("part-00000.log"));
        assertEquals(1000, first.size());
        assertTrue(first.get(0).contains("[01/Jun/2024:08:00:"), first.get(0));
        assertEquals("", err.toString());
    }

    @Test
    void unknownDatasetIsAOneLineErrorWithExitCode2() {
        assertEquals(2, run("clicks", "--out", tmp.toString(), "--events", "10"));
        assertEquals("error: unknown dataset 'clicks' (use one of clickstream, transactions, merchants, apache-logs)"
                + System.lineSeparator(), err.toString());
    }

    @Test
    void badNumbersAreErrorsWithExitCode2() {
        assertEquals(2, run("clickstream", "--out", tmp.toString(), "--events", "ten"));
        assertTrue(err.toString().startsWith("error: Invalid value for option '--events': 'ten' is not a long"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("clickstream", "--out", tmp.toString(), "--events", "0"));
        assertEquals("error: --events must be positive, got 0" + System.lineSeparator(), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("clickstream", "--out", tmp.toString(), "--events", "5", "--rate", "fast"));
        assertEquals("error: --rate: cannot parse 'fast' (use events per second, e.g. 500 or 500/s)"
                + System.lineSeparator(), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("clickstream", "--out", tmp.toString(), "--events", "5", "--start", "yesterday"));
        assertEquals("error: --start: cannot parse instant 'yesterday' (use e.g. 2024-05-01T00:00:00Z)"
                + System.lineSeparator(), err.toString());
    }
}
