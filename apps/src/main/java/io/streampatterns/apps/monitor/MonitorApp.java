package io.streampatterns.apps.monitor;

import io.delta.tables.DeltaTable;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.alerts.AlertOptions;
import io.streampatterns.alerts.AlertRule;
import io.streampatterns.alerts.Alerting;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Storage;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

/**
 * Use case 2: monitoring. Apache access logs → per endpoint group and for all traffic ({@code endpoint = '*'}),
 * per minute and over sliding windows (5 min and 1 h every minute by default), all lengths in one pass of the
 * pane-based window aggregation: requests, 4xx and 5xx errors, bytes, response-size and latency quantiles
 * (p50/p95/p99; latency when the log carries {@code %D}), distinct clients. Alert rules run on the minutes.
 *
 * <p>Outputs under {@code DIR} (Delta, append-only, exactly once): {@code requests_per_minute} (all traffic),
 * {@code endpoints_per_minute}, {@code sliding_windows}, {@code alerts}, {@code quarantine}. Each window is written
 * once, when the watermark passes its end. Every parsed line counts in exactly one minute; lines that do not parse
 * are quarantined with their reason and source.</p>
 *
 * <p>Queries: {@code monitor-metrics} (logs → windows → the three window tables, and bad lines → quarantine, read
 * once), {@code monitor-alerts} (the minute tables, streamed → {@link Alerting} → alerts). Alerts read
 * the minute tables rather than chaining a second stateful operator onto the window aggregation: the minutes are
 * final when written, so the alert query sees each once, in order, and can be restarted or re-run on its own.</p>
 */
public final class MonitorApp {
    static final String ALL = "*";
    static final String MINUTES = "requests_per_minute";
    static final String ENDPOINTS = "endpoints_per_minute";
    static final String SLIDING = "sliding_windows";
    static final String ALERTS = "alerts";
    static final String QUARANTINE = "quarantine";
    /** The schema of the log lines: the built-in {@code apache-log} schema. */
    public static final EventSchema SCHEMA = BuiltinSchemas.resolve("apache-log", null, null);
    static final SlidingWindow MINUTE = SlidingWindow.tumbling(Duration.ofMinutes(1));
    /** Columns of an interval without traffic, for alert rules ("no traffic for 5 minutes"). */
    static final Map<String, Object> EMPTY_MINUTE = Map.of("requests", 0L, "errors_4xx", 0L, "errors_5xx", 0L, "bytes", 0L,
            "clients", 0L);

    private MonitorApp() {
    }

    /**
     * The window rows of the log lines {@code raw} ({@code raw, source}): {@code endpoint, window, window_start,
     * window_end, requests, errors_4xx, errors_5xx, bytes, bytes_p50/95/99, latency_ms_p50/95/99, clients}, where
     * {@code window} is "1m" for the minutes or the sliding window, e.g. "5m/1m".
     */
    public static Dataset<Row> build(SparkSession spark, EventInput in, Options o) {
        Dataset<Row> good = in.events();
        Column is4xx = when(col("status").between(400, 499), 1L).otherwise(0L);
        Column is5xx = when(col("status").between(500, 599), 1L).otherwise(0L);
        Dataset<Row> requests = good.select(
                explode(array(lit(ALL), o.groups.of(col("path")))).as("endpoint"),
                col("ts"), col("client"), is4xx.as("is_4xx"), is5xx.as("is_5xx"),
                coalesce(col("bytes"), lit(0L)).as("size"), col("response_us").divide(1000.0).as("latency_ms"));
        PaneWindowOptions windows = PaneWindowOptions.of(o.allWindows())
                .keyedBy("endpoint")
                .eventTime(EventTime.of("ts", o.watermark))
                .aggregates(Aggregates.count("requests"), Aggregates.sum("is_4xx", "errors_4xx"),
                        Aggregates.sum("is_5xx", "errors_5xx"), Aggregates.sum("size", "bytes"),
                        Aggregates.quantiles("size", "bytes_", 0.5, 0.95, 0.99),
                        Aggregates.quantiles("latency_ms", "latency_ms_", 0.5, 0.95, 0.99),
                        Aggregates.distinct("client", "clients_"))
                .emit(EmitMode.APPEND)
                .metricName("monitor");
        Dataset<Row> w = PaneWindowAggregation.of(windows).apply(requests);
        Column length = unix_millis(col("window_end")).minus(unix_millis(col("window_start")));
        Column label = lit(null).cast(DataTypes.StringType);
        for (SlidingWindow sw : o.allWindows()) {
            label = when(length.equalTo(sw.size().toMillis()), lit(label(sw))).otherwise(label);
        }
        return w.select(col("endpoint"), label.as("window"), col("window_start"), col("window_end"),
                col("requests"), col("errors_4xx").cast("bigint").as("errors_4xx"),
                col("errors_5xx").cast("bigint").as("errors_5xx"), col("bytes").cast("bigint").as("bytes"),
                col("bytes_p50"), col("bytes_p95"), col("bytes_p99"),
                col("latency_ms_p50"), col("latency_ms_p95"), col("latency_ms_p99"), col("clients_distinct").as("clients"));
    }

    /**
     * The log lines of {@code raw} ({@code raw, source}, as {@code RawInput} reads them) parsed and checked; lines that
     * do not parse are quarantined by the window query, and read again with {@code reread} if there are too many to
     * keep in memory.
     */
    public static EventInput input(Dataset<Row> raw, Options o, QuarantineTap.Reread reread) {
        return EventInput.of(raw, SCHEMA, RecordFormat.APACHE_LOG, o.validation, reread);
    }

    /**
     * Starts the window query writing the three window tables and, from the same micro-batches, the unparsable lines
     * to {@code DIR/quarantine} (with reason, source and time); checkpointed under {@code checkpoints}.
     */
    public static StreamingQuery startMetrics(SparkSession spark, EventInput in, Options o, URI checkpoints, Trigger trigger) {
        URI checkpoint = Storage.child(checkpoints, "metrics");
        MonitorSink windows = new MonitorSink(Storage.text(o.output), DeltaSinks.appIdFor(checkpoint, "monitor"), o.warehouse);
        return start(build(spark, in, o).writeStream().queryName("monitor-metrics")
                .option("checkpointLocation", Storage.text(checkpoint)).trigger(trigger)
                .foreachBatch(QuarantineTable.of(Storage.text(Storage.child(o.output, QUARANTINE)), in).around(windows, checkpoint)));
    }

    /** The alert events of the minute tables (streamed): the rules over all traffic and each endpoint group. */
    public static Dataset<Row> alerts(SparkSession spark, Dataset<Row> minutes, Options o) {
        // a minute row may arrive up to two minutes after newer ones (two intervals)
        AlertOptions alerting = AlertOptions.of(List.of("endpoint"), EventTime.of("window_start", Duration.ofMinutes(2)),
                Duration.ofMinutes(1), o.rules).emptyIntervalHas(EMPTY_MINUTE);
        return Alerting.of(alerting).apply(minutes);
    }

    /** Starts the alert query over the minute tables (created empty first if the window query has not written yet). */
    public static StreamingQuery startAlerts(SparkSession spark, EventInput in, Options o, URI checkpoints, Trigger trigger) {
        ConfigException.check(!o.rules.isEmpty(), "no alert rules given");
        StructType windows = build(spark, in, o).schema();
        createIfMissing(spark, Storage.child(o.output, MINUTES), MonitorSink.minuteSchema(windows, false));
        createIfMissing(spark, Storage.child(o.output, ENDPOINTS), MonitorSink.minuteSchema(windows, true));
        Dataset<Row> all = spark.readStream().format("delta").load(Storage.text(Storage.child(o.output, MINUTES)))
                .withColumn("endpoint", lit(ALL));
        Dataset<Row> groups = spark.readStream().format("delta").load(Storage.text(Storage.child(o.output, ENDPOINTS)));
        Dataset<Row> minutes = all.unionByName(groups);
        URI checkpoint = Storage.child(checkpoints, "alerts");
        return start(alerts(spark, minutes, o).writeStream().queryName("monitor-alerts")
                .option("checkpointLocation", Storage.text(checkpoint)).trigger(trigger)
                .foreachBatch(AlertsSink.of(Storage.text(Storage.child(o.output, ALERTS)), checkpoint, o.alertsKafka)));
    }

    private static void createIfMissing(SparkSession spark, URI table, StructType schema) {
        if (!DeltaTable.isDeltaTable(spark, Storage.text(table))) {
            DeltaTable.createIfNotExists(spark).location(Storage.text(table)).addColumns(schema).execute();
        }
    }

    private static StreamingQuery start(org.apache.spark.sql.streaming.DataStreamWriter<Row> writer) {
        try {
            return writer.start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static String label(SlidingWindow w) {
        return w.isTumbling() ? Durations.format(w.size()) : Durations.format(w.size()) + "/" + Durations.format(w.slide());
    }

    /** Options of the monitoring pipeline; immutable. */
    public static final class Options {
        final URI output;
        final Duration watermark;
        final List<SlidingWindow> sliding;
        final EndpointGroups groups;
        final List<AlertRule> rules;
        final Validation.ValidationOptions validation;
        final JdbcTarget warehouse;
        final KafkaTarget alertsKafka;

        private Options(URI output, Duration watermark, List<SlidingWindow> sliding, EndpointGroups groups,
                        List<AlertRule> rules, Validation.ValidationOptions validation, JdbcTarget warehouse,
                        KafkaTarget alertsKafka) {
            this.output = Objects.requireNonNull(output, "output");
            this.watermark = watermark;
            this.sliding = sliding;
            this.groups = groups;
            this.rules = rules;
            this.validation = validation;
            this.warehouse = warehouse;
            this.alertsKafka = alertsKafka;
        }

        /** Tables under {@code output}; watermark 2 min, sliding windows 5 min and 1 h every minute, no alert rules. */
        public static Options of(URI output) {
            return new Options(output, Duration.ofMinutes(2), List.of(SlidingWindow.of(Duration.ofMinutes(5), Duration.ofMinutes(1)),
                    SlidingWindow.of(Duration.ofHours(1), Duration.ofMinutes(1))), EndpointGroups.firstSegment(), List.of(),
                    Validation.ValidationOptions.defaults(), null, null);
        }

        /** How late (event time) a log line may arrive and still count. */
        public Options withWatermark(Duration d) {
            ConfigException.check(d != null && !d.isNegative(), "--watermark must be zero or positive");
            return new Options(output, d, sliding, groups, rules, validation, warehouse, alertsKafka);
        }

        /** The sliding windows besides the minutes (each a whole number of minutes, none of 1 min). */
        public Options withSlidingWindows(List<SlidingWindow> windows) {
            for (SlidingWindow w : windows) {
                ConfigException.check(w.pane().toMillis() % 60_000 == 0, "--windows: " + w + " is not made of whole minutes");
                ConfigException.check(!w.size().equals(MINUTE.size()), "--windows: the 1-minute window is always computed");
            }
            return new Options(output, watermark, List.copyOf(windows), groups, rules, validation, warehouse, alertsKafka);
        }

        public Options withEndpointGroups(EndpointGroups g) {
            return new Options(output, watermark, sliding, Objects.requireNonNull(g), rules, validation, warehouse, alertsKafka);
        }

        public Options withRules(List<AlertRule> r) {
            return new Options(output, watermark, sliding, groups, List.copyOf(r), validation, warehouse, alertsKafka);
        }

        public Options withValidation(Validation.ValidationOptions v) {
            return new Options(output, watermark, sliding, groups, rules, v, warehouse, alertsKafka);
        }

        /** Also upsert {@code requests_per_minute} into PostgreSQL (key: window_start). */
        public Options withWarehouse(JdbcTarget target) {
            return new Options(output, watermark, sliding, groups, rules, validation, target, alertsKafka);
        }

        /** Also write the alert events to a Kafka topic, exactly once (one transaction per micro-batch of alerts). */
        public Options withAlertsToKafka(KafkaTarget target) {
            return new Options(output, watermark, sliding, groups, rules, validation, warehouse, target);
        }

        List<SlidingWindow> allWindows() {
            List<SlidingWindow> all = new ArrayList<>(List.of(MINUTE));
            all.addAll(sliding);
            return all;
        }

        public URI output() {
            return output;
        }

        public Validation.ValidationOptions validation() {
            return validation;
        }

        public List<AlertRule> rules() {
            return rules;
        }
    }
}
