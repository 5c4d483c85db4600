package io.streampatterns.alerts;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.unix_millis;

/**
 * Pattern: threshold alerts with a for-duration and firing/resolved state in Spark state. The input is a series of
 * closed intervals (one row per key and interval, e.g. per-minute metrics per endpoint, written once each); each
 * rule is a SQL condition over an interval that must hold for N consecutive intervals before it fires, and it
 * resolves at the first interval where it no longer holds. The output is the alert events:
 * key columns, {@code rule, state ('firing' | 'resolved'), severity, at, since, value, message}.
 *
 * <pre>{@code
 * Dataset<Row> alerts = Alerting.of(AlertOptions.of(List.of("endpoint"), EventTime.of("window_start", Duration.ofMinutes(2)),
 *         Duration.ofMinutes(1), AlertRules.load(rulesFile)).emptyIntervalHas(Map.of("requests", 0L))).apply(perMinute);
 * }</pre>
 *
 * <h2>The pitfalls this handles</h2>
 * <ul>
 *   <li>Absence is a signal: "no traffic for 5 minutes" has no row to evaluate. An interval without a row is
 *       evaluated, once the watermark passes it, on the empty interval described by
 *       {@link AlertOptions#emptyIntervalHas} (a per-series event-time timer drives this while it matters).
 *       Event time only moves with data: when every series stops, the watermark stops too (watch the pipeline's
 *       health for that).</li>
 *   <li>Flapping and duplicates: state is one value per series (transformWithState, RocksDB), so a firing alert is
 *       reported once, not every minute, and resolves once. Rows behind the last evaluated interval are ignored and
 *       counted (observed metric {@code alerts.late_rows}).</li>
 *   <li>Bounded state: a series whose rules are all quiet and would stay quiet without data is removed.</li>
 * </ul>
 * Firing events are at the end of the interval that completed the streak, {@code since} its first interval;
 * resolved events at the end of the first interval where the condition no longer held.
 */
public final class Alerting implements Step {
    private static final String T = "__interval_ms";
    private static final String LATE = "__late_rows";
    /** The step's name: the name of its observed metrics. */
    static final String NAME = "alerts";

    private final AlertOptions options;

    private Alerting(AlertOptions options) {
        this.options = options;
    }

    /** The alerting step of {@code options}; its events are final when emitted (append). */
    public static Step of(AlertOptions options) {
        ConfigException.check(options != null, "alerting: options are required");
        return new Alerting(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> series) {
        StructType schema = series.schema();
        StructType keySchema = new StructType();
        for (String k : options.keys()) {
            keySchema = keySchema.add(field(schema, k).name(), field(schema, k).dataType(), true);
        }
        ConfigException.check(field(schema, options.time()).dataType().equals(DataTypes.TimestampType),
                "alerting: interval-start column '" + options.time() + "' must be TIMESTAMP");
        List<AlertRule> rules = options.rules();
        boolean[] emptyHolds = emptyHolds(series.sparkSession(), schema, options);

        Dataset<Row> w = options.eventTime().watermark(series, NAME);
        List<Column> projection = new ArrayList<>();
        for (String k : options.keys()) {
            projection.add(w.col(k));
        }
        projection.add(unix_millis(w.col(options.time())).as(T));
        for (int i = 0; i < rules.size(); i++) {
            AlertRule r = rules.get(i);
            Column holds = coalesce(expr(r.condition()), lit(false));
            if (r.appliesTo() != null) {
                holds = when(coalesce(expr(r.appliesTo()), lit(false)), holds);
            }
            projection.add(holds.as("__holds" + i));
            projection.add((r.value() == null ? lit(null) : expr(r.value())).cast(DataTypes.DoubleType).as("__value" + i));
        }
        Dataset<Row> projected = w.select(projection.toArray(new Column[0]));

        StructType out = keySchema.add("rule", DataTypes.StringType).add("state", DataTypes.StringType)
                .add("severity", DataTypes.StringType).add("__at", DataTypes.LongType).add("__since", DataTypes.LongType)
                .add("value", DataTypes.DoubleType).add("message", DataTypes.StringType).add(LATE, DataTypes.LongType);
        Column[] keys = new Column[keySchema.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = projected.col(keySchema.fields()[k].name());
        }
        Dataset<Row> events = projected.groupBy(keys).as(Encoders.row(keySchema), Encoders.row(projected.schema()))
                .transformWithState(new AlertProcessor(rules, options.step(), emptyHolds, keys.length),
                        TimeMode.EventTime(), OutputMode.Append(), Encoders.row(out));
        List<Column> cols = new ArrayList<>();
        for (StructField f : keySchema.fields()) {
            cols.add(col(f.name()));
        }
        cols.add(col("rule"));
        cols.add(col("state"));
        cols.add(col("severity"));
        cols.add(timestamp_millis(col("__at")).as("at"));
        cols.add(timestamp_millis(col("__since")).as("since"));
        cols.add(col("value"));
        cols.add(col("message"));
        return events.observe(NAME, sum(col(LATE)).as("late_rows"), count(col("rule")).as("events"))
                .where(col(LATE).isNull())
                .select(cols.toArray(new Column[0]));
    }

    /** Each rule's condition on an interval without a row (the configured values, every other column null). */
    static boolean[] emptyHolds(SparkSession spark, StructType schema, AlertOptions options) {
        for (String c : options.emptyInterval().keySet()) {
            field(schema, c);
        }
        Object[] values = new Object[schema.size()];
        StructType strings = new StructType();
        for (int i = 0; i < values.length; i++) {
            StructField f = schema.fields()[i];
            Object v = options.emptyInterval().get(f.name());
            values[i] = v == null ? null : String.valueOf(v);
            strings = strings.add(f.name(), DataTypes.StringType, true);
        }
        Dataset<Row> empty = spark.createDataFrame(List.of(RowFactory.create(values)), strings);
        List<Column> typed = new ArrayList<>();
        for (StructField f : schema.fields()) {
            typed.add(col(f.name()).cast(f.dataType()).as(f.name()));
        }
        Dataset<Row> typedRow = empty.select(typed.toArray(new Column[0]));
        boolean[] holds = new boolean[options.rules().size()];
        for (int i = 0; i < holds.length; i++) {
            AlertRule r = options.rules().get(i);
            holds[i] = check(r, () -> {
                List<Column> c = new ArrayList<>(List.of(coalesce(expr(r.condition()), lit(false))));
                c.add(r.appliesTo() == null ? lit(true) : expr(r.appliesTo()));
                c.add(r.value() == null ? lit(null) : expr(r.value()).cast(DataTypes.DoubleType));
                return typedRow.select(c.toArray(new Column[0])).first().getBoolean(0);
            });
        }
        return holds;
    }

    /** Runs {@code evaluation} of {@code rule}'s expressions, turning SQL errors into a configuration error naming the rule. */
    private static boolean check(AlertRule rule, java.util.function.Supplier<Boolean> evaluation) {
        try {
            return evaluation.get();
        } catch (Exception e) {
            if (causedByDivisionByZero(e)) {
                throw new ConfigException("alert rule '" + rule.name() + "': division by zero on an interval without "
                        + "traffic: write try_divide(a, b) instead of a / b (NULL, so false, when b is 0)");
            }
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new ConfigException("alert rule '" + rule.name() + "': " + e.getMessage().lines().findFirst().orElse(""));
            }
            throw e;
        }
    }

    private static boolean causedByDivisionByZero(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.apache.spark.SparkThrowable t && "DIVIDE_BY_ZERO".equals(t.getCondition())) {
                return true;
            }
        }
        return false;
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new ConfigException("alerting: column '" + name + "' is not in the series (columns: "
                + String.join(", ", schema.fieldNames()) + ")");
    }
}
