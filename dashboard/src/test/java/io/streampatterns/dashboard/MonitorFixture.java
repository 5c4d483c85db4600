package io.streampatterns.dashboard;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;

/**
 * Writes the monitor's output tables (the dashboard's input contract) as Delta tables with Spark, standing in for
 * the monitor pipeline: rows given one by one ({@link #minutes}, {@link #endpoints}, ...), or minutes of synthetic
 * traffic ({@link #simulate(int)}) for the browser test.
 */
final class MonitorFixture {
    static final StructType METRICS = new StructType()
            .add("window_start", DataTypes.TimestampType).add("window_end", DataTypes.TimestampType)
            .add("requests", DataTypes.LongType).add("errors_4xx", DataTypes.LongType).add("errors_5xx", DataTypes.LongType)
            .add("bytes", DataTypes.LongType)
            .add("bytes_p50", DataTypes.DoubleType).add("bytes_p95", DataTypes.DoubleType).add("bytes_p99", DataTypes.DoubleType)
            .add("latency_ms_p50", DataTypes.DoubleType).add("latency_ms_p95", DataTypes.DoubleType)
            .add("latency_ms_p99", DataTypes.DoubleType)
            .add("clients", DataTypes.LongType);
    static final StructType ENDPOINT = prepend(METRICS, "endpoint");
    static final StructType SLIDING = prepend(prepend(METRICS, "window"), "endpoint");
    static final StructType ALERT = new StructType()
            .add("rule", DataTypes.StringType).add("endpoint", DataTypes.StringType).add("state", DataTypes.StringType)
            .add("severity", DataTypes.StringType).add("at", DataTypes.TimestampType).add("since", DataTypes.TimestampType)
            .add("message", DataTypes.StringType);

    private static final String[] ENDPOINT_NAMES = {"/images", "/api", "/login"};

    private final SparkSession spark;
    private final Path dir;
    private final Instant start;
    private Instant next;
    private boolean alertsWritten;

    MonitorFixture(SparkSession spark, Path dir, Instant start) {
        this.spark = spark;
        this.dir = dir;
        this.start = start;
        this.next = start;
    }

    Path dir() {
        return dir;
    }

    /**
     * One minute of all traffic starting at {@code start}: {@code requests} with {@code e4}/{@code e5} errors and latency
     * quantiles (null: the log has no response time); bytes = 1000 per request, size quantiles 500/2000/4000, clients = requests/10.
     */
    static Row minute(Instant start, long requests, long e4, long e5, Double p50, Double p95, Double p99) {
        return row(Timestamp.from(start), Timestamp.from(start.plusSeconds(60)), requests, e4, e5, requests * 1000,
                500.0, 2000.0, 4000.0, p50, p95, p99, requests / 10);
    }

    static Row endpoint(String endpoint, Row minute) {
        List<Object> values = new ArrayList<>();
        values.add(endpoint);
        for (int i = 0; i < minute.size(); i++) {
            values.add(minute.get(i));
        }
        return row(values.toArray());
    }

    /** A sliding-window row with the figures of {@code minute}, the window ending where that minute ends and lasting {@code length}. */
    static Row sliding(String endpoint, String window, Duration length, Row minute) {
        Timestamp end = minute.getTimestamp(1);
        List<Object> values = new ArrayList<>(Arrays.asList(endpoint, window, Timestamp.from(end.toInstant().minus(length)), end));
        for (int i = 2; i < minute.size(); i++) {
            values.add(minute.get(i));
        }
        return row(values.toArray());
    }

    static Row alert(String rule, String endpoint, String state, String severity, Instant at, Instant since, String message) {
        return row(rule, endpoint, state, severity, Timestamp.from(at), Timestamp.from(since), message);
    }

    void minutes(Row... rows) {
        append(MonitorTables.MINUTES, METRICS, rows);
    }

    void endpoints(Row... rows) {
        append(MonitorTables.ENDPOINTS, ENDPOINT, rows);
    }

    void sliding(Row... rows) {
        append(MonitorTables.SLIDING, SLIDING, rows);
    }

    /** A message as long as a rule with a verbose description gives: wider than the page unless the table wraps or cuts it. */
    static final String LONG_MESSAGE = "5xx rate 3.2% > 2% over 5m: errors_5xx / requests of /login stayed above the"
            + " threshold for 3 consecutive minutes; check the login service's upstream (auth-db, session-cache) and the"
            + " deploy of 10:55, then page the on-call engineer of the identity team if it does not recover within 10 minutes";

    void alerts(Row... rows) {
        append(MonitorTables.ALERTS, ALERT, rows);
    }

    /**
     * Appends {@code count} more minutes of synthetic traffic (one commit per table): all traffic, three endpoints,
     * the 5m/1m sliding window of all traffic, and an error-rate alert that fires on the first call.
     */
    void simulate(int count) {
        List<Row> all = new ArrayList<>();
        List<Row> perEndpoint = new ArrayList<>();
        List<Row> windows = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            long minuteIndex = Duration.between(start, next).toMinutes();
            long requests = 600 + 40 * (minuteIndex % 7) + 5 * minuteIndex;
            double p50 = 20 + minuteIndex % 5;
            Row r = minute(next, requests, requests / 25, minuteIndex % 4, p50, p50 * 4, p50 * 9);
            all.add(r);
            for (int e = 0; e < ENDPOINT_NAMES.length; e++) {
                long share = requests / (2L << e);
                perEndpoint.add(endpoint(ENDPOINT_NAMES[e], minute(next, share, share / 20, e, p50 + e, p50 * 4 + e, p50 * 9 + e)));
            }
            windows.add(sliding("*", "5m/1m", Duration.ofMinutes(5), minute(next, requests * 5, requests / 5, 2, p50, p50 * 4, p50 * 9)));
            next = next.plusSeconds(60);
        }
        minutes(all.toArray(new Row[0]));
        endpoints(perEndpoint.toArray(new Row[0]));
        sliding(windows.toArray(new Row[0]));
        if (!alertsWritten) {
            alertsWritten = true;
            Instant at = next.minusSeconds(120);
            alerts(alert("error_rate_5xx", "/login", "firing", "critical", at, at, LONG_MESSAGE),
                    alert("latency_p95", "*", "resolved", "warning", at.minusSeconds(600), at.minusSeconds(1200), "p95 back under 200 ms"));
        }
    }

    private void append(String table, StructType schema, Row... rows) {
        spark.createDataFrame(Arrays.asList(rows), schema).coalesce(1)
                .write().format("delta").mode(SaveMode.Append).save(dir.resolve(table).toString());
    }

    private static StructType prepend(StructType schema, String stringColumn) {
        StructType s = new StructType().add(stringColumn, DataTypes.StringType);
        for (org.apache.spark.sql.types.StructField f : schema.fields()) {
            s = s.add(f);
        }
        return s;
    }
}
