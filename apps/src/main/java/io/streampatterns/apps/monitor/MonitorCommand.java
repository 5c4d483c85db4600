package io.streampatterns.apps.monitor;

import io.streampatterns.alerts.AlertRules;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.RawInputOptions;
import io.streampatterns.apps.cli.SlidingWindowConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.cli.WarehouseOptions;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.dashboard.ProgressFiles;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code streampatterns monitor}: Apache access logs → per-minute and sliding-window metrics, alerts → Delta tables. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Monitoring pipeline: Apache access logs (files or Kafka) → per minute and over sliding windows, for all",
                "traffic and per endpoint group: requests, 4xx/5xx errors, bytes, response-size and latency p50/p95/p99, distinct",
                "clients; alert rules (--rules) → firing/resolved events. Delta tables under --output: requests_per_minute,",
                "endpoints_per_minute, sliding_windows, alerts, quarantine; query health in OUTPUT/_progress for the dashboard.",
                "Running the same command again resumes from the checkpoint."})
public final class MonitorCommand implements Runnable {
    @Mixin
    RawInputOptions source;

    @Option(names = "--format", required = true, paramLabel = "apache-log", description = "Record format: apache-log (combined, optional %%D).")
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory of the output Delta tables.")
    Path output;

    @Option(names = "--rules", paramLabel = "FILE", description = "Alert rules (YAML); without it no alert query runs.")
    Path rules;

    @Option(names = "--watermark", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How late (event time) a line may arrive and still count (default: ${DEFAULT-VALUE}).")
    Duration watermark;

    @Option(names = "--windows", paramLabel = "SIZE/SLIDE", split = ",", defaultValue = "5m/1m,1h/1m",
            converter = SlidingWindowConverter.class, description = "Sliding windows besides the minutes (default: ${DEFAULT-VALUE}).")
    List<SlidingWindow> windows;

    @Option(names = "--endpoints", paramLabel = "PREFIX", split = ",",
            description = "Group paths by these prefixes (others: 'other'); default: by first path segment.")
    List<String> endpoints;

    @Option(names = "--max-future", paramLabel = "DURATION", defaultValue = "1d", converter = DurationConverter.class,
            description = "Quarantine lines whose time is further than this in the future (default: ${DEFAULT-VALUE}).")
    Duration maxFuture;

    /** With --warehouse, requests_per_minute is also upserted into PostgreSQL (keyed by window_start). */
    @Mixin
    WarehouseOptions warehouse;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        MonitorApp.Options options = options();
        source.check();
        if (options.warehouse != null) {
            options.warehouse.checkReachable();
        }
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-monitor");
        Dataset<Row> raw = source.open(spark, stream.maxFilesPerBatch(), 0);
        Path checkpoints = stream.checkpointOr(output.resolve("_checkpoints"));
        ProgressFiles progress = ProgressFiles.in(output.resolve("_progress"));
        spark.streams().addListener(progress);
        try {
            run(spark, raw, options, checkpoints);
        } finally {
            spark.streams().removeListener(progress);
        }
        System.err.println("monitor tables under " + output + ": requests_per_minute, endpoints_per_minute, sliding_windows"
                + (options.rules().isEmpty() ? "" : ", alerts") + ", quarantine");
    }

    private void run(SparkSession spark, Dataset<Row> raw, MonitorApp.Options o, Path checkpoints) {
        boolean alerts = !o.rules().isEmpty();
        if (stream.once()) {
            // alerts read the minute tables: let the window query write all of them first
            StreamRunner.run(spark, true, null, () -> List.of(
                    MonitorApp.startMetrics(spark, raw, o, checkpoints, stream.trigger()),
                    MonitorApp.startQuarantine(spark, raw, o, checkpoints, stream.trigger())));
            if (alerts) {
                StreamRunner.run(spark, true, null, () -> List.of(MonitorApp.startAlerts(spark, raw, o, checkpoints, stream.trigger())));
            }
            return;
        }
        StreamRunner.run(spark, false, null, () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            if (alerts) {
                queries.add(MonitorApp.startAlerts(spark, raw, o, checkpoints, stream.trigger()));
            }
            queries.add(MonitorApp.startMetrics(spark, raw, o, checkpoints, stream.trigger()));
            queries.add(MonitorApp.startQuarantine(spark, raw, o, checkpoints, stream.trigger()));
            return queries;
        });
    }

    MonitorApp.Options options() {
        ConfigException.check("apache-log".equalsIgnoreCase(format), "--format: only apache-log is supported, got '" + format + "'");
        MonitorApp.Options o = MonitorApp.Options.of(output)
                .withWatermark(watermark)
                .withSlidingWindows(windows)
                .withValidation(Validation.ValidationOptions.defaults().withMaxFuture(maxFuture));
        if (endpoints != null) {
            o = o.withEndpointGroups(EndpointGroups.prefixes(endpoints));
        }
        if (rules != null) {
            o = o.withRules(AlertRules.load(rules));
        }
        JdbcTarget target = warehouse.target(MonitorApp.MINUTES, "window_start");
        return target == null ? o : o.withWarehouse(target);
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new MonitorCommand(), args));
    }
}
