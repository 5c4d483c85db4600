package io.streampatterns.apps.search;

import io.streampatterns.apps.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code search}: run a local single-node OpenSearch for the demos and for {@code ingest --search}. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"A local single-node OpenSearch 2.19, in a JVM of its own.",
                "For demos and tests (Apache-2.0)."},
        subcommands = {SearchCommand.Serve.class})
public final class SearchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Cli.main(new SearchCommand(), args);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Start a local single-node OpenSearch and run it until Ctrl-C.",
                    "It listens on 127.0.0.1 (HTTP, no security plugin: local use only) and prints",
                    "'url=http://127.0.0.1:<port>' once it answers, and run until Ctrl-C. Without --data its indices live in a",
                    "temporary directory deleted on exit."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", defaultValue = "9200", paramLabel = "N", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(names = "--data", paramLabel = "DIR", description = "Keep the indices in DIR (reused on the next start).")
        Path data;

        @Option(names = "--heap", defaultValue = "1g", paramLabel = "SIZE", description = "Heap of the search JVM (default: ${DEFAULT-VALUE}).")
        String heap;

        @Override
        public Integer call() throws InterruptedException {
            SearchServer server = SearchServer.start(SearchServer.Options.defaults().port(port).data(data).heap(heap));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "search-serve-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("url=" + server.url());
            out.flush();
            int code = server.waitFor();
            return code == 0 || code == 143 ? 0 : 1;
        }
    }
}
