package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @Test
    void summaryIsTheFirstLineOfTheMessageAndOfItsRootCause() {
        Exception spark = new RuntimeException("Job aborted due to stage failure: Task 0 failed\nDriver stacktrace:",
                new IllegalStateException("wrapper", new IllegalArgumentException("[USER_RAISED_EXCEPTION] boom SQLSTATE: P0001\nmore")));
        assertEquals("query q failed (cause: [USER_RAISED_EXCEPTION] boom SQLSTATE: P0001)",
                Cli.summary(new IllegalStateException("query q failed", spark)));
        assertEquals("disk full", Cli.summary(new IllegalStateException("disk full", new RuntimeException("disk full"))),
                "a cause the message already says is not repeated");
        assertEquals("NullPointerException", Cli.summary(new NullPointerException()));
        String longMessage = "x".repeat(500);
        assertEquals(200, Cli.summary(new RuntimeException(longMessage)).length());
    }

    @Test
    void failureIsOneLineConfigurationErrorOneLineWithCode2AndVerbosePrintsTheTrace() {
        assertEquals(new Result(1, "failed: broken (cause: root)\n"), run(new Failing(new IllegalStateException("broken",
                new RuntimeException("root")))));
        assertEquals(new Result(Cli.CONFIG_ERROR, "error: --size must be positive\n"),
                run(new Failing(new IllegalStateException("wrapped", new ConfigException("--size must be positive")))));
        Result verbose = run(new Failing(new IllegalStateException("broken")), "--verbose");
        assertEquals(1, verbose.code);
        assertTrue(verbose.err.startsWith("failed: broken\njava.lang.IllegalStateException: broken\n\tat "), verbose.err);
    }

    private static Result run(Object command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(command);
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(args), err.toString());
    }

    private record Result(int code, String err) {
    }

    @Command(name = "failing")
    static final class Failing implements Runnable {
        private final RuntimeException failure;

        @Option(names = "--size")
        int size;

        Failing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void run() {
            throw failure;
        }
    }
}
