package io.streampatterns.sessions;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Locale;
import java.util.Objects;

/**
 * Sessionization of a watermarked event stream with {@link SessionRules}, on Spark's {@code transformWithState}
 * (event-time timers, RocksDB state): one row per session, emitted once when final ({@link Mode#APPEND}), or
 * every time it changes ({@link Mode#UPDATE}, which Spark's {@code session_window} cannot do).
 *
 * <pre>{@code
 * Dataset<Row> w = events.withWatermark("ts", "10 minutes");
 * Dataset<Row> sessions = w.transform(Sessionizer.of(SessionRules.on("user_id", "ts")
 *         .withCloseWhen("type = 'logout'")).withMode(Sessionizer.Mode.UPDATE)::apply);
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
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
 * <p>Output columns: {@link #outputSchema(DataType)}.</p>
 */
public final class Sessionizer {
    /** When sessions are emitted. */
    public enum Mode {
        /** Each session once, when final. */
        APPEND,
        /** Open sessions every time they change (is_final = false), then once final; superseded ids once. */
        UPDATE;

        /** {@code update} or {@code append}, any case; {@link ConfigException} otherwise. */
        public static Mode parse(String text) {
            String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
            for (Mode m : values()) {
                if (m.name().equals(t)) {
                    return m;
                }
            }
            throw new ConfigException("sessions: mode must be update or append, got '" + text + "'");
        }
    }

    private final SessionRules rules;
    private final Mode mode;

    private Sessionizer(SessionRules rules, Mode mode) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Sessions by {@code rules}, in append mode. */
    public static Sessionizer of(SessionRules rules) {
        return new Sessionizer(rules, Mode.APPEND);
    }

    public Sessionizer withMode(Mode mode) {
        return new Sessionizer(rules, mode);
    }

    public SessionRules rules() {
        return rules;
    }

    public Mode mode() {
        return mode;
    }

    /** The sessions of {@code events}, whose time column must carry a watermark ({@code withWatermark}). */
    public Dataset<Row> apply(Dataset<Row> events) {
        Dataset<Row> in = SessionInput.prepare(events, rules);
        DataType keyType = in.schema().apply(SessionInput.KEY).dataType();
        boolean updates = mode == Mode.UPDATE;
        return in.groupBy(in.col(SessionInput.KEY))
                .as(Encoders.row(new StructType().add(SessionInput.KEY, keyType)), Encoders.row(in.schema()))
                .transformWithState(new SessionProcessor(new SessionLogic(rules), updates), TimeMode.EventTime(),
                        updates ? OutputMode.Update() : OutputMode.Append(), Encoders.row(outputSchema(keyType)));
    }

    /**
     * The output columns: {@code key} (type of the key column), {@code session_start}, {@code session_end},
     * {@code last_event_time} (timestamps), {@code duration_ms}, {@code event_count}, {@code session_id},
     * {@code first_page}, {@code last_page}, {@code campaign}, {@code amount} (null without the optional columns),
     * {@code is_final}, {@code end_reason}.
     */
    public static StructType outputSchema(DataType keyType) {
        return new StructType()
                .add("key", keyType)
                .add("session_start", DataTypes.TimestampType, false)
                .add("session_end", DataTypes.TimestampType, false)
                .add("last_event_time", DataTypes.TimestampType, false)
                .add("duration_ms", DataTypes.LongType, false)
                .add("event_count", DataTypes.LongType, false)
                .add("session_id", DataTypes.StringType, false)
                .add("first_page", DataTypes.StringType)
                .add("last_page", DataTypes.StringType)
                .add("campaign", DataTypes.StringType)
                .add("amount", DataTypes.DoubleType)
                .add("is_final", DataTypes.BooleanType, false)
                .add("end_reason", DataTypes.StringType, false);
    }
}
