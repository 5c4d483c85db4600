package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sessionization of an event stream with {@link SessionRules}, on Spark's {@code transformWithState}
 * (event-time timers, RocksDB state): one row per session, emitted once when final ({@link EmitMode#APPEND}), or
 * every time it changes ({@link EmitMode#UPDATE}, which Spark's {@code session_window} cannot do), with the
 * aggregates of {@link SessionOptions#aggregates} (any {@link io.streampatterns.aggregate.Aggregate}, as the pane
 * windows take).
 *
 * <pre>{@code
 * Step sessions = Sessionizer.of(SessionOptions.of("user_id", EventTime.of("ts", Duration.ofMinutes(10)))
 *         .rules(SessionRules.defaults().withCloseWhen("type = 'logout'"))
 *         .aggregates(Aggregates.first("page", "first_page"), Aggregates.sum("amount", "amount"))
 *         .emit(EmitMode.UPDATE));
 * Dataset<Row> out = sessions.apply(events);
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Watermark.</b> The rule of {@link io.streampatterns.core.EventTime}: the input's watermark on the event-time
 *       column if it has one, else the step sets it with the options' lateness.</li>
 *   <li><b>Out of order.</b> Events may come in any order within the watermark: a late event extends a session,
 *       bridges two sessions into one, or (with a cutting rule, e.g. a late logout) splits one. The result does not
 *       depend on arrival order within the watermark.</li>
 *   <li><b>Late events.</b> An event is dropped, and counted in Spark's {@code numRowsDroppedByWatermark}, when its own
 *       gap window ends at or before the watermark ({@code time + gap <= watermark}) — Spark's
 *       {@code session_window} rule, so that the gap-only results are the same as Spark's. An event a little behind
 *       the watermark ({@code time <= watermark < time + gap}) is still accepted: it joins an open session, or, when
 *       the session it falls into was already emitted final, opens a new one (a final session is never changed).</li>
 *   <li><b>End.</b> {@code session_end} is last event + gap (the latest {@code time + gap} with a gap column), or the
 *       close event's time, the start + max duration, the local midnight, or the time of the event whose split value
 *       differs, whichever comes first; {@code end_reason} names it ({@code gap}, {@code close_event},
 *       {@code max_duration}, {@code midnight}, {@code field_change}). {@code duration_ms = session_end - session_start}.
 *       A session is final when the watermark reaches its end.</li>
 *   <li><b>Id.</b> {@code session_id} is a name-based UUID of the key and {@code session_start}: the same in every
 *       emission of a session, and in a re-run, unless a late event moves the start earlier (or bridges it into an
 *       earlier session): then, in update mode, the old id is emitted once more with {@code end_reason = superseded}
 *       and {@code is_final = true}, so that a table upserted by {@code session_id} can delete it. Two rare cases
 *       add to the name, so that ids stay unique: a session opened behind the watermark (where one with the same
 *       start may already be final) adds the watermark of its opening; sessions of one key with the same start
 *       (events of one millisecond split by a rule) add their rank.</li>
 *   <li><b>State.</b> Per key, one value: its open sessions' aggregates and the time of its one event-time timer
 *       (at or before the earliest session end; it is not moved as sessions grow, only set again when it fires early,
 *       so a busy key costs one state write per micro-batch). When a rule can cut a session inside its events (close
 *       event, max duration, split on a column), also the events of open sessions, since a late event may re-cut
 *       them; with the gap and midnight rules alone no event is kept. A final session leaves the state with its
 *       events, and a key without open sessions holds nothing.</li>
 * </ul>
 *
 * <p>Output columns: {@link SessionOptions#outputSchema(DataType)}.</p>
 */
public final class Sessionizer implements Step {
    /** The step's name, prefix of its configuration errors. */
    static final String NAME = "sessions";

    private final SessionOptions options;

    private Sessionizer(SessionOptions options) {
        this.options = options;
    }

    /** The sessionization step of {@code options}. */
    public static Step of(SessionOptions options) {
        ConfigException.check(options != null, "sessions: options are required");
        return new Sessionizer(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmitMode emitMode() {
        return options.mode();
    }

    /** The sessions of {@code events}, a stream with the key and event-time columns of the options. */
    @Override
    public Dataset<Row> apply(Dataset<Row> events) {
        AggregateSet aggregates = new AggregateSet(options.aggregates());
        Dataset<Row> in = SessionInput.prepare(events, options, aggregates);
        DataType keyType = in.schema().apply(SessionInput.KEY).dataType();
        StructType out = options.outputSchema(keyType);
        Set<String> names = new HashSet<>();
        for (String n : out.fieldNames()) {
            ConfigException.check(names.add(n.toLowerCase(Locale.ROOT)),
                    "sessions: output column '" + n + "' appears twice (rename the aggregate)");
        }
        boolean updates = options.mode() == EmitMode.UPDATE;
        return in.groupBy(in.col(SessionInput.KEY))
                .as(Encoders.row(new StructType().add(SessionInput.KEY, keyType)), Encoders.row(in.schema()))
                .transformWithState(new SessionProcessor(new SessionLogic(options.rules(), aggregates), updates),
                        TimeMode.EventTime(), options.mode().outputMode(), Encoders.row(out));
    }
}
