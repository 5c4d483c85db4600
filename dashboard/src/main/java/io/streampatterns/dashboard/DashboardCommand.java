package io.streampatterns.dashboard;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * {@code streampatterns dashboard --monitor DIR}: serves the web dashboard of a monitor output directory until
 * Ctrl-C. Configuration errors are {@link ConfigException}s (exit code 2 under the project's {@code Cli}).
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve the monitor's web dashboard and its Prometheus metrics.",
                "Charts, alerts and query health of a monitor output directory, refreshed every 2 s; /metrics for Prometheus."})
public final class DashboardCommand implements Runnable {
    static final String TOKEN_ENV = "STREAMPATTERNS_DASHBOARD_TOKEN";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--monitor", required = true, paramLabel = "DIR|URI",
            description = "Output directory of the monitor pipeline, local or any Hadoop file system URI (its tables may not exist yet).")
    String monitor;

    @Option(names = "--port", defaultValue = "4050", paramLabel = "PORT", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", defaultValue = ServerOptions.DEFAULT_BIND, paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Any other than loopback requires a token.")
    String bind;

    @Option(names = "--token", defaultValue = "${env:" + TOKEN_ENV + "}", paramLabel = "TOKEN",
            description = "Access token (default: $" + TOKEN_ENV + "); clients send 'Authorization: Bearer TOKEN' or open the page with ?token=TOKEN.")
    String token;

    @Option(names = "--stale-after", defaultValue = "30s", paramLabel = "DURATION",
            description = "A running query whose process gave no sign of life (heartbeat every 5 s, progress report) for this"
                    + " long is shown stale and down (default: ${DEFAULT-VALUE}).")
    String staleAfter;

    @Override
    public void run() {
        Duration stale = Durations.parsePositive(staleAfter, "--stale-after");
        ConfigException.check(stale.compareTo(ProgressFiles.HEARTBEAT.multipliedBy(2)) >= 0,
                "--stale-after must be at least two heartbeats (" + ProgressFiles.HEARTBEAT.multipliedBy(2).toSeconds() + "s), got " + staleAfter);
        ServerOptions options = ServerOptions.defaults().bind(bind).port(port).token(token).validate();
        URI dir = location(monitor);
        // first the session: its Hadoop configuration (spark.hadoop.*) reaches the directory's file system
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-dashboard");
        ConfigException.check(!Storage.exists(dir) || Storage.isDirectory(dir), "--monitor is not a directory: " + monitor);
        MonitorTables tables = MonitorTables.of(spark, dir);
        try (DashboardServer server = DashboardServer.start(options, tables::metrics, progressOf(dir, stale))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("dashboard of " + Storage.text(dir) + " at " + server.url()
                    + (options.hasToken() ? " (add ?token=TOKEN to open it in a browser)" : ""));
            out.println("Prometheus metrics at " + server.url() + "metrics; press Ctrl-C to stop");
            out.flush();
            awaitShutdown(server);
        }
    }

    /**
     * The figures of the queries whose progress files are in {@code monitor/_progress}, re-read on each call and judged
     * stale after {@code staleAfter} without a sign of life: what the dashboard serves.
     */
    public static Supplier<List<QueryFigures>> progressOf(URI monitor, Duration staleAfter) {
        QueryHealth health = new QueryHealth();
        URI progress = Storage.child(monitor, "_progress");
        return () -> {
            health.load(progress);
            return health.queries(Instant.now(), staleAfter);
        };
    }

    private static URI location(String text) {
        try {
            return Storage.location(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--monitor: not a location '" + text + "' (a path, or a URI such as hdfs://namenode:8020/dir): "
                    + e.getMessage());
        }
    }

    /** Blocks until the JVM shuts down (Ctrl-C), then stops the server cleanly. */
    private static void awaitShutdown(DashboardServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
