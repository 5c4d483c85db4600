package io.streampatterns.apps.monitor;

import io.streampatterns.alerts.AlertRules;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.RawInputOptions;
import io.streampatterns.apps.cli.SlidingWindowConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.cli.WarehouseOptions;
import io.streampatterns.apps.ingest.HighwayOptions;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.StateOptions;
import io.streampatterns.core.Storage;
import io.streampatterns.dashboard.ProgressFiles;
import io.streampatterns.quarantine.RecordFormat;
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

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code streampatterns monitor}: Apache access logs → per-minute and sliding-window metrics, alerts → Delta tables. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Apache access logs to metrics and alerts in Delta tables.",
                "Apache access logs (files or Kafka) per minute and over sliding windows, for all traffic and per endpoint"
                        + " group: requests, 4xx/5xx errors, bytes, response-size and latency p50/p95/p99, distinct clients;"
                        + " alert rules (--rules) give firing/resolved events. Delta tables under --output: requests_per_minute,"
                        + " endpoints_per_minute, sliding_windows, alerts, quarantine; query health in OUTPUT/_progress for the"
                        + " dashboard.",
                "Running the same command again resumes from the checkpoint."})
public final class MonitorCommand implements Runnable {
    @Mixin
    RawInputOptions source;

    @Option(names = "--format", required = true, paramLabel = "apache-log", description = "Record format: apache-log (combined, optional %%D).")
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Directory of the output Delta tables, local or any Hadoop file system URI.")
    URI output;

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

    @Option(names = "--to-kafka", paramLabel = "HOST:PORT",
            description = "Also write the alert events as JSON to a Kafka topic, exactly once (read with isolation.level=read_committed).")
    String toKafka;

    @Option(names = "--to-topic", paramLabel = "T", description = "Topic for --to-kafka (created if missing).")
    String toTopic;

    @Option(names = "--to-kafka-config", paramLabel = "FILE", description = "Kafka client settings (properties file: security, tuning).")
    Path toKafkaConfig;

    @Option(names = "--to-kafka-transaction-timeout", paramLabel = "DURATION", defaultValue = "1m",
            description = "Broker-side limit of one batch's transaction (default: ${DEFAULT-VALUE}).")
    String transactionTimeout;

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
        EventInput in = MonitorApp.input(source.open(spark, stream.maxFilesPerBatch(), 0, RecordFormat.APACHE_LOG, MonitorApp.SCHEMA),
                options, source.reread(spark, RecordFormat.APACHE_LOG, MonitorApp.SCHEMA, options.validation()));
        URI checkpoints = stream.checkpointOr(Storage.child(output, "_checkpoints"));
        // pane state per window geometry and endpoint group
        StateOptions.of("monitor").with("--windows", windows.toString()).with("--endpoints", endpoints == null ? "" : String.join(",", endpoints))
                .check(spark.sparkContext().hadoopConfiguration(), Storage.text(checkpoints));
        try (ProgressFiles progress = ProgressFiles.in(Storage.child(output, "_progress"), ProgressFiles.HEARTBEAT, stream.watch())) {
            spark.streams().addListener(progress); // before StreamRunner's own listeners, which wait for it
            try {
                run(spark, in, options, checkpoints);
            } finally {
                spark.streams().removeListener(progress);
            }
        }
        System.err.println("monitor tables under " + Storage.text(output) + ": requests_per_minute, endpoints_per_minute, sliding_windows"
                + (options.rules().isEmpty() ? "" : ", alerts") + ", quarantine");
    }

    private void run(SparkSession spark, EventInput in, MonitorApp.Options o, URI checkpoints) {
        boolean alerts = !o.rules().isEmpty();
        if (stream.once()) {
            // alerts read the minute tables: let the window query write all of them first
            StreamRunner.run(spark, true, null, stream.watch(), () -> List.of(MonitorApp.startMetrics(spark, in, o, checkpoints, stream.trigger())));
            if (alerts) {
                StreamRunner.run(spark, true, null, stream.watch(), () -> List.of(MonitorApp.startAlerts(spark, in, o, checkpoints, stream.trigger())));
            }
            return;
        }
        StreamRunner.run(spark, false, null, stream.watch(), () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            if (alerts) {
                queries.add(MonitorApp.startAlerts(spark, in, o, checkpoints, stream.trigger()));
            }
            queries.add(MonitorApp.startMetrics(spark, in, o, checkpoints, stream.trigger()));
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
        ConfigException.check((toKafka == null) == (toTopic == null), "--to-kafka and --to-topic go together");
        if (toKafka != null) {
            ConfigException.check(rules != null, "--to-kafka writes the alerts: it needs --rules");
            o = o.withAlertsToKafka(HighwayOptions.kafka(toKafka, toTopic, toKafkaConfig, transactionTimeout));
        }
        JdbcTarget target = warehouse.target(MonitorApp.MINUTES, "window_start");
        return target == null ? o : o.withWarehouse(target);
    }

    public static void main(String[] args) {
        Cli.main(new MonitorCommand(), args);
    }
}
