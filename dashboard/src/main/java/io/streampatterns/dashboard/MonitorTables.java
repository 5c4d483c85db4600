package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

/**
 * The monitor's output tables (Delta, append-only) as the dashboard's JSON, read with Spark batch reads and cached:
 * at most one read per {@code refresh} interval, and a table is read again only when its Delta version changed.
 * Only the recent rows are read: those within {@code horizon} of the table's newest window (event time), and the
 * previous newest bounds the next read so Delta skips the old files. A missing table counts as empty
 * ("waiting for data").
 *
 * <p>Tables under the monitor directory: {@value #MINUTES}, {@value #ENDPOINTS}, {@value #SLIDING}, {@value #ALERTS}.</p>
 */
public final class MonitorTables {
    public static final String MINUTES = "requests_per_minute";
    public static final String ENDPOINTS = "endpoints_per_minute";
    public static final String SLIDING = "sliding_windows";
    public static final String ALERTS = "alerts";

    /** The metric columns every per-minute and sliding-window row has, after its keys and window bounds. */
    static final List<String> METRICS = List.of("requests", "errors_4xx", "errors_5xx", "bytes", "bytes_p50", "bytes_p95",
            "bytes_p99", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "clients");
    static final int TOP_ENDPOINTS = 5;
    static final int RECENT_ALERTS = 50;
    static final int SLIDING_ROWS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(MonitorTables.class);

    private final SparkSession spark;
    private final URI dir;
    private final Duration refresh;
    private final Duration horizon;
    private final Clock clock;
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, JsonNode> parts = new HashMap<>();
    private final Map<String, Instant> newest = new HashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private Instant readAt;
    private ObjectNode cached;

    private MonitorTables(SparkSession spark, URI dir, Duration refresh, Duration horizon, Clock clock) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.refresh = requirePositiveOrZero(refresh, "refresh");
        this.horizon = requirePositiveOrZero(horizon, "horizon");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The tables under {@code dir}, read at most every 2 s, the last 3 h of event time. */
    public static MonitorTables of(SparkSession spark, URI dir) {
        return new MonitorTables(spark, dir, Duration.ofSeconds(2), Duration.ofHours(3), Clock.systemUTC());
    }

    /** The same tables read at most every {@code interval} ({@code Duration.ZERO}: on every call). */
    public MonitorTables refreshEvery(Duration interval) {
        return new MonitorTables(spark, dir, interval, horizon, clock);
    }

    /** The same tables keeping the rows within {@code window} of each table's newest event time. */
    public MonitorTables horizon(Duration window) {
        return new MonitorTables(spark, dir, refresh, window, clock);
    }

    public URI dir() {
        return dir;
    }

    private static Duration requirePositiveOrZero(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }

    /**
     * The dashboard's metrics JSON: {@code status} ("waiting" until the per-minute table has rows, then "ok"),
     * {@code minutes} (column arrays of all traffic, {@code t} in Unix seconds), {@code endpoints} (the top endpoints
     * by requests with their series), {@code sliding} (latest value per endpoint and window), {@code alerts}
     * ({@code active} and {@code recent}), {@code errors} (per table, when the last read failed) and {@code readAt}.
     */
    public synchronized ObjectNode metrics() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(readAt.plus(refresh))) {
            refreshTable(MINUTES, this::minutes);
            refreshTable(ENDPOINTS, this::endpoints);
            refreshTable(SLIDING, this::sliding);
            refreshTable(ALERTS, this::alerts);
            readAt = now;
            cached = assemble();
        }
        return cached.deepCopy();
    }

    private ObjectNode assemble() {
        ObjectNode o = Json.object();
        JsonNode minutes = parts.get(MINUTES);
        boolean hasData = minutes != null && minutes.path("t").size() > 0;
        o.put("status", hasData ? "ok" : "waiting");
        Json.put(o, "readAt", readAt);
        Json.put(o, "newest", newest.get(MINUTES));
        o.set("minutes", minutes != null ? minutes : columns(List.of(), List.of()));
        o.set("endpoints", parts.getOrDefault(ENDPOINTS, Json.MAPPER.createArrayNode()));
        o.set("sliding", parts.getOrDefault(SLIDING, Json.MAPPER.createArrayNode()));
        ObjectNode alerts = Json.object();
        alerts.set("active", Json.MAPPER.createArrayNode());
        alerts.set("recent", Json.MAPPER.createArrayNode());
        o.set("alerts", parts.getOrDefault(ALERTS, alerts));
        ObjectNode tables = o.putObject("tables");
        for (String t : List.of(MINUTES, ENDPOINTS, SLIDING, ALERTS)) {
            Long v = versions.get(t);
            tables.put(t, v);
        }
        ObjectNode err = o.putObject("errors");
        errors.forEach(err::put);
        return o;
    }

    private interface TableReader {
        JsonNode read(Dataset<Row> table);
    }

    private void refreshTable(String name, TableReader reader) {
        URI table = Storage.child(dir, name);
        Long version = deltaVersion(table);
        if (version == null || version.equals(versions.get(name))) {
            return;
        }
        try {
            parts.put(name, reader.read(spark.read().format("delta").load(Storage.text(table))));
            versions.put(name, version);
            errors.remove(name);
        } catch (RuntimeException e) {
            // keep the last good values; the next refresh tries again
            LOG.warn("cannot read {}: {}", Storage.text(table), e.toString());
            errors.put(name, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The rows of {@code table} within the horizon of its newest {@code timeColumn}, or none when it is empty. */
    private Dataset<Row> recent(String name, Dataset<Row> table, String timeColumn) {
        Instant previous = newest.get(name);
        Dataset<Row> candidates = previous == null ? table
                : table.where(col(timeColumn).geq(lit(Timestamp.from(previous.minus(horizon)))));
        Row top = candidates.agg(max(col(timeColumn))).first();
        if (top.isNullAt(0)) {
            return candidates.limit(0);
        }
        Instant newestTime = instant(top.get(0));
        newest.put(name, newestTime);
        return candidates.where(col(timeColumn).geq(lit(Timestamp.from(newestTime.minus(horizon)))));
    }

    private JsonNode minutes(Dataset<Row> table) {
        List<Row> rows = recent(MINUTES, table, "window_start").orderBy("window_start").collectAsList();
        return columns(rows, METRICS);
    }

    private JsonNode endpoints(Dataset<Row> table) {
        Dataset<Row> recent = recent(ENDPOINTS, table, "window_start").cache();
        try {
            List<Row> top = recent.groupBy("endpoint").agg(sum("requests").alias("total"))
                    .orderBy(col("total").desc(), col("endpoint")).limit(TOP_ENDPOINTS).collectAsList();
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (Row t : top) {
                String endpoint = t.getString(0);
                List<Row> rows = recent.where(col("endpoint").equalTo(endpoint)).orderBy("window_start").collectAsList();
                ObjectNode e = out.addObject();
                e.put("endpoint", endpoint);
                e.put("requests", t.isNullAt(1) ? 0 : t.getLong(1));
                e.set("series", columns(rows, METRICS));
            }
            return out;
        } finally {
            recent.unpersist();
        }
    }

    private JsonNode sliding(Dataset<Row> table) {
        Dataset<Row> latest = recent(SLIDING, table, "window_end")
                .withColumn("rn", row_number().over(Window.partitionBy("endpoint", "window").orderBy(col("window_end").desc())))
                .where(col("rn").equalTo(1))
                .orderBy(col("endpoint").equalTo("*").desc(), col("requests").desc(), col("endpoint"), col("window"))
                .limit(SLIDING_ROWS);
        return objects(latest.collectAsList(), latest.columns());
    }

    /** Alerts are transitions only (few rows): the whole table is read, but only when its version changed. */
    private JsonNode alerts(Dataset<Row> table) {
        Dataset<Row> latest = table
                .withColumn("rn", row_number().over(Window.partitionBy("rule", "endpoint").orderBy(col("at").desc())))
                .where(col("rn").equalTo(1).and(col("state").equalTo("firing")))
                .drop("rn")
                .orderBy(col("at").desc(), col("rule"), col("endpoint"));
        Dataset<Row> recent = table.orderBy(col("at").desc(), col("rule"), col("endpoint")).limit(RECENT_ALERTS);
        ObjectNode o = Json.object();
        o.set("active", objects(latest.collectAsList(), latest.columns()));
        o.set("recent", objects(recent.collectAsList(), recent.columns()));
        return o;
    }

    /** Column arrays for a chart: {@code t} = window start in Unix seconds, then each metric (nulls kept). */
    private static ObjectNode columns(List<Row> rows, List<String> metrics) {
        ObjectNode o = Json.object();
        ArrayNode t = o.putArray("t");
        for (Row r : rows) {
            t.add(instant(r.getAs("window_start")).getEpochSecond());
        }
        for (String m : metrics) {
            ArrayNode a = o.putArray(m);
            for (Row r : rows) {
                addValue(a, r.getAs(m));
            }
        }
        return o;
    }

    /** Rows as JSON objects, timestamps as ISO-8601 instants. */
    private static ArrayNode objects(List<Row> rows, String[] names) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Row r : rows) {
            ObjectNode o = out.addObject();
            for (String n : names) {
                if (!n.equals("rn")) {
                    Object v = r.getAs(n);
                    if (v instanceof Timestamp || v instanceof Instant) {
                        o.put(n, instant(v).toString());
                    } else {
                        putValue(o, n, v);
                    }
                }
            }
        }
        return out;
    }

    private static void addValue(ArrayNode a, Object v) {
        if (v == null) {
            a.addNull();
        } else if (v instanceof Long || v instanceof Integer) {
            a.add(((Number) v).longValue());
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                a.add(d);
            } else {
                a.addNull();
            }
        } else {
            a.add(v.toString());
        }
    }

    private static void putValue(ObjectNode o, String field, Object v) {
        ArrayNode one = Json.MAPPER.createArrayNode();
        addValue(one, v);
        o.set(field, one.get(0));
    }

    private static Instant instant(Object v) {
        return v instanceof Timestamp ? ((Timestamp) v).toInstant() : (Instant) v;
    }

    /** The latest version of the Delta table at {@code table} (highest commit file in its log), or null when there is none. */
    static Long deltaVersion(URI table) {
        URI log = Storage.child(table, "_delta_log");
        long latest = -1;
        try {
            for (URI f : Storage.list(log)) {
                String n = Storage.name(f);
                if (n.matches("\\d{20}\\.json")) {
                    latest = Math.max(latest, Long.parseLong(n.substring(0, 20)));
                }
            }
        } catch (UncheckedIOException e) {
            LOG.warn("cannot list {}: {}", Storage.text(log), e.getMessage());
            return null;
        }
        return latest < 0 ? null : latest;
    }
}
