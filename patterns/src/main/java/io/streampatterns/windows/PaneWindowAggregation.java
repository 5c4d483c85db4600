package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;

/**
 * Pattern: pane-based sliding window aggregation. Spark's {@code window(ts, size, slide)} copies every event
 * into each of the {@code size/slide} windows it belongs to (an Expand in the plan: 60 copies for 1 h every
 * 1 min) and keeps one state row per key and window. Here every event is aggregated once, into its pane
 * ({@code gcd(size, slide)}); panes live in Spark state; a window is assembled from its panes when it is
 * emitted. Work per event is constant, whatever the ratio of size to slide.
 *
 * <pre>{@code
 * Dataset<Row> windows = PaneWindowAggregation.of(opts).apply(events);
 * // key columns, window_start, window_end, then the aggregates' columns (count, sum, min, ..., p99)
 * }</pre>
 *
 * <h2>Several window lengths in one pass</h2>
 * {@link PaneWindowOptions#of(java.util.List)} takes several lengths (e.g. per minute, 5 min and 1 h sliding every
 * minute, for a dashboard): the pane is then the gcd of all of them, each event is still aggregated once, and
 * each length is assembled from the same panes. Rows of all lengths come out together; {@code window_end -
 * window_start} tells them apart. An event is late only when its windows of every length are closed; panes live
 * until the longest window holding them closes.
 *
 * <h2>Plan</h2>
 * <ol>
 *   <li>Watermark on the event-time column (the {@link io.streampatterns.core.EventTime} rule), then a native
 *       projection to key, event ms and aggregate inputs.</li>
 *   <li>Partial aggregation inside the micro-batch ({@link PaneCombiner}): per input partition, events of one
 *       (key, pane) are added into one mergeable accumulator before the shuffle. A streaming {@code groupBy}
 *       cannot do this step since it is always a stateful aggregation in Structured Streaming; this is the
 *       map-side half of one, with no state.</li>
 *   <li>{@code groupBy(key).as(...).transformWithState} ({@link PaneWindowProcessor}) merges the partials into the
 *       key's panes, emits windows, prunes panes and sets timers.</li>
 * </ol>
 *
 * <h2>Why transformWithState (RocksDB) and not flatMapGroupsWithState</h2>
 * Append mode has to emit windows of keys that receive no more data, at event times of their own (each window
 * end). {@code transformWithState} has real event-time timers, any number per key, fired by the watermark,
 * where {@code flatMapGroupsWithState} has a single timeout per key and group-level state only. Its state
 * variables are typed, schema-checked and evolvable, it runs on the RocksDB provider (large state off-heap,
 * changelog checkpoints), and dead keys are cleared explicitly. State layout: one binary value per key holding
 * all its live panes (plus one timer), not one row per pane: each micro-batch that touches a key reads nearly
 * all of its panes anyway to assemble windows (a changed pane belongs to {@code size/slide} windows; closing
 * windows span the last {@code size}), so one get and one put per key beat one entry per pane, and state rows
 * are one per key instead of one per key and window. The trade-off is that the whole key value is rewritten
 * when it changes, which grows with {@code size/pane} (fine up to a few thousand panes per key).
 *
 * <h2>Event time, lateness, emission</h2>
 * <ul>
 *   <li>A window {@code [start, end)} is closed once the watermark is at or past {@code end}.</li>
 *   <li>An event whose windows are all closed is late: it is dropped and counted in the observed metric
 *       {@code late_events} (see {@link PaneWindowOptions#metricName}). An event later than the watermark but
 *       with some window still open updates its pane, which counts only in the still-open windows. This is
 *       Spark's native rule for windowed aggregations; the one difference is that Spark judges lateness by the
 *       previous micro-batch's watermark and this pattern by the current one.</li>
 *   <li>{@link EmitMode#UPDATE}: each micro-batch emits every open window containing a pane that changed,
 *       with its current value; write with an upsert on (key, window_start).
 *       {@link EmitMode#APPEND}: each window once, in the micro-batch where the watermark closes it.</li>
 *   <li>Panes whose last window is closed (older than watermark minus size) are removed; a key with no pane
 *       left is removed from state.</li>
 * </ul>
 *
 * <p>Observed metrics (name {@link PaneWindowOptions#metricName()}): {@code late_events} (events dropped as
 * late) and {@code windows} (window rows emitted).</p>
 */
public final class PaneWindowAggregation implements Step {
    static final String WINDOW_START = "window_start";
    static final String WINDOW_END = "window_end";
    private static final String LATE = "__late_events";
    private static final String START_MS = "__window_start_ms";
    private static final String END_MS = "__window_end_ms";
    private static final String INDEX = "__window";

    private final PaneWindowOptions options;

    private PaneWindowAggregation(PaneWindowOptions options) {
        this.options = options;
    }

    /** The step computing the windows of {@code options}; see the class comment for the semantics. */
    public static Step of(PaneWindowOptions options) {
        ConfigException.check(options != null, "pane windows: options are required");
        options.checkComplete();
        return new PaneWindowAggregation(options);
    }

    /** {@link PaneWindowOptions#metricName()}: the name of the observed metrics. */
    @Override
    public String name() {
        return options.metricName();
    }

    @Override
    public EmitMode emitMode() {
        return options.mode();
    }

    /** Windows per key over {@code events}, a streaming Dataset; see the class comment for the semantics. */
    @Override
    public Dataset<Row> apply(Dataset<Row> events) {
        StructType schema = events.schema();
        AggregateSet aggregates = new AggregateSet(options.aggregates());
        WindowSet windowSet = new WindowSet(options.windows());
        StructType keySchema = keySchema(schema, options.keys());
        check(schema, options, aggregates);

        Dataset<Row> w = options.eventTime().watermark(events, name());
        List<Column> projection = new ArrayList<>();
        for (String k : options.keys()) {
            projection.add(w.col(k));
        }
        projection.add(unix_millis(w.col(options.eventTime().column())).as("__event_ms"));
        int i = 0;
        for (AggregateSet.Input in : aggregates.inputs()) {
            Column c = in.type() == null ? w.col(in.column()) : w.col(in.column()).cast(in.type());
            projection.add(c.as("__input" + i++));
        }

        StructType partialSchema = keySchema.add("__pane", DataTypes.LongType, false)
                .add("__events", DataTypes.LongType, false)
                .add("__accumulators", DataTypes.BinaryType, false);
        int keyCount = options.keys().size();
        Dataset<Row> partials = w.select(projection.toArray(new Column[0]))
                .mapPartitions(new PaneCombiner(windowSet, aggregates, keyCount), Encoders.row(partialSchema));

        // one row per key and batch of windows, column-wise (see PaneWindowProcessor); exploded below
        StructType outSchema = keySchema.add(START_MS, DataTypes.createArrayType(DataTypes.LongType, false), false)
                .add(END_MS, DataTypes.createArrayType(DataTypes.LongType, false), false);
        for (StructField f : aggregates.outputFields()) {
            outSchema = outSchema.add(f.name(), DataTypes.createArrayType(f.dataType(), true), false);
        }
        outSchema = outSchema.add(LATE, DataTypes.LongType, true);
        Column[] keyColumns = new Column[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keyColumns[k] = partials.col(keySchema.fields()[k].name());
        }
        Dataset<Row> raw = partials.groupBy(keyColumns).as(Encoders.row(keySchema), Encoders.row(partialSchema))
                .transformWithState(new PaneWindowProcessor(windowSet, aggregates, options.mode(), keyCount),
                        TimeMode.EventTime(), options.mode().outputMode(), Encoders.row(outSchema));

        // the explode carries the value arrays along; each exploded row takes its own element of each
        List<Column> exploded = new ArrayList<>();
        List<Column> out = new ArrayList<>();
        for (StructField f : keySchema.fields()) {
            exploded.add(col(f.name()));
            out.add(col(f.name()));
        }
        exploded.add(posexplode(col(START_MS)).as(new String[] {INDEX, START_MS}));
        exploded.add(col(END_MS));
        out.add(timestamp_millis(col(START_MS)).as(WINDOW_START));
        out.add(timestamp_millis(col(END_MS).getItem(col(INDEX))).as(WINDOW_END));
        for (StructField f : aggregates.outputFields()) {
            exploded.add(col(f.name()));
            out.add(col(f.name()).getItem(col(INDEX)).as(f.name()));
        }
        return raw.observe(options.metricName(), sum(col(LATE)).as("late_events"),
                        coalesce(sum(size(col(START_MS))), lit(0L)).as("windows"))
                .where(col(LATE).isNull())
                .select(exploded.toArray(new Column[0]))
                .select(out.toArray(new Column[0]));
    }

    private static StructType keySchema(StructType schema, List<String> keys) {
        StructType t = new StructType();
        for (String k : keys) {
            StructField f = field(schema, k, "key column");
            t = t.add(f.name(), f.dataType(), true);
        }
        return t;
    }

    private static void check(StructType schema, PaneWindowOptions o, AggregateSet aggregates) {
        String timeColumn = o.eventTime().column();
        StructField time = field(schema, timeColumn, "event-time column");
        ConfigException.check(time.dataType().equals(DataTypes.TimestampType), "event-time column '" + timeColumn
                + "' must be TIMESTAMP, is " + time.dataType().simpleString());
        for (AggregateSet.Input in : aggregates.inputs()) {
            StructField f = field(schema, in.column(), "aggregate input column");
            ConfigException.check(!(in.type() instanceof NumericType) || f.dataType() instanceof NumericType,
                    "aggregate input column '" + in.column() + "' must be numeric, is " + f.dataType().simpleString());
        }
        Set<String> names = new HashSet<>();
        List<String> all = new ArrayList<>(o.keys());
        all.add(WINDOW_START);
        all.add(WINDOW_END);
        aggregates.outputFields().forEach(f -> all.add(f.name()));
        for (String n : all) {
            ConfigException.check(names.add(n.toLowerCase(Locale.ROOT)),
                    "pane windows: output column '" + n + "' appears twice (rename with an aggregate prefix)");
        }
    }

    private static StructField field(StructType schema, String name, String what) {
        for (StructField f : schema.fields()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new ConfigException(what + " '" + name + "' is not in the input (columns: "
                + String.join(", ", schema.fieldNames()) + ")");
    }
}
