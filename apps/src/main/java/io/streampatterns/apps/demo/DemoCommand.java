package io.streampatterns.apps.demo;

import io.streampatterns.core.Storage;
import io.delta.tables.DeltaTable;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code streampatterns demo}: every landed use case end to end on the embedded default (Spark local[*], Delta on disk). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run every landed use case end to end on sample data.",
                "Generated and bundled sample data, on Spark local[*] with Delta tables on disk: no server needed. Without"
                        + " --duration, one pass over the data; with --duration D, live data for D, then a clean stop. Prints"
                        + " where the results are."})
public final class DemoCommand implements Runnable {
    private static final String MARKER = ".streampatterns-demo";

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output", description = "Output directory, replaced on each run (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "4050",
            description = "Port of the dashboard the demo serves on 127.0.0.1 while it runs (default: ${DEFAULT-VALUE}; -1 = none).")
    int dashboardPort;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "Run live for this long (e.g. 2m), then stop and exit 0.")
    Duration duration;

    @Override
    public void run() {
        Path root = fresh(out.toAbsolutePath());
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-demo");
        try (DemoContext ctx = new DemoContext(spark, root, duration != null)) {
            run(ctx);
        }
    }

    private void run(DemoContext ctx) {
        SparkSession spark = ctx.spark();
        List<DemoStep> steps = steps();
        for (DemoStep s : steps) {
            System.err.println("demo: preparing " + s.name());
            s.prepare(ctx);
        }
        try (DemoDashboard dashboard = DemoDashboard.start(spark, MonitorDemo.dir(ctx), dashboardPort, ctx.watch())) {
            StreamRunner.run(spark, duration == null, duration, ctx.watch(), () -> {
                List<StreamingQuery> all = new ArrayList<>();
                for (DemoStep s : steps) {
                    all.addAll(s.start(ctx));
                    if (duration != null) {
                        all.addAll(s.startAfter(ctx));
                    }
                }
                return all;
            });
            if (duration == null) {
                StreamRunner.run(spark, true, null, ctx.watch(), () -> {
                    List<StreamingQuery> after = new ArrayList<>();
                    steps.forEach(s -> after.addAll(s.startAfter(ctx)));
                    return after;
                });
            }
        }
        System.out.println();
        System.out.println("demo results (Delta tables; look with: bin/streampatterns show PATH --format table):");
        for (DemoStep s : steps) {
            s.summary(ctx).forEach(System.out::println);
        }
    }

    static List<DemoStep> steps() {
        // the highway first: its search node starts in the background while the others prepare their inputs
        return List.of(new HighwayDemo(), new IngestDemo(), new MonitorDemo(), new SessionsDemo(), new JoinDemo(),
                new StreamJoinDemo(), new FraudDemo(), new SqlPipelineDemo());
    }

    /** "  name  rows  path  - what" for a table in the demo lake. */
    static String tableLine(DemoContext ctx, String table, String what) {
        String p = Storage.text(ctx.table(table));
        long rows = DeltaTable.isDeltaTable(ctx.spark(), p) ? ctx.spark().read().format("delta").load(p).count() : 0;
        return String.format("  %-28s %8d rows  %s  - %s", table, rows, p, what);
    }

    private static Path fresh(Path root) {
        try {
            if (Files.exists(root)) {
                ConfigException.check(Files.exists(root.resolve(MARKER)),
                        "--out " + root + " exists and was not made by the demo; choose another directory");
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(root);
            Files.createFile(root.resolve(MARKER));
            return root;
        } catch (IOException e) {
            throw new ConfigException("cannot prepare " + root + ": " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        Cli.main(new DemoCommand(), args);
    }
}
