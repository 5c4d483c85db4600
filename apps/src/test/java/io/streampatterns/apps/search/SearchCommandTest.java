package io.streampatterns.apps.search;

import io.streampatterns.apps.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code search serve} refuses bad options before starting anything (the node itself is exercised by the ingest tests). */
class SearchCommandTest {
    private final StringWriter err = new StringWriter();

    @Test
    void serveOnAPortAlreadyInUseIsAConfigError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(Cli.CONFIG_ERROR, run("serve", "--port", String.valueOf(taken.getLocalPort())));
            assertTrue(err.toString().startsWith("error: search port " + taken.getLocalPort() + " on 127.0.0.1 is not available"),
                    err.toString());
        }
    }

    @Test
    void serveWithABadHeapIsAConfigError() {
        assertEquals(Cli.CONFIG_ERROR, run("serve", "--port", "0", "--heap", "lots"));
        assertTrue(err.toString().startsWith("error: search heap must be like 512m or 1g, got 'lots'"), err.toString());
    }

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new SearchCommand());
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
