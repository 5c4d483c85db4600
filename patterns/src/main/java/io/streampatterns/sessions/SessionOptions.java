package io.streampatterns.sessions;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Sessionizer} computes: whose sessions (the key column), the event time (column and lateness, see
 * {@link EventTime} for the watermark rule), the {@link SessionRules} that cut them, the aggregates computed per
 * session and when sessions are emitted. Immutable; every method returns a copy.
 *
 * <pre>{@code
 * SessionOptions o = SessionOptions.of("user_id", EventTime.of("ts", Duration.ofMinutes(10)))
 *         .rules(SessionRules.gap(Duration.ofMinutes(30)).withCloseWhen("type = 'logout'"))
 *         .aggregates(Aggregates.first("page", "first_page"), Aggregates.sum("amount", "amount"))
 *         .emit(EmitMode.UPDATE);
 * }</pre>
 */
public final class SessionOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final EventTime time;
    private final SessionRules rules;
    private final List<Aggregate<?>> aggregates;
    private final EmitMode mode;

    private SessionOptions(String key, EventTime time, SessionRules rules, List<Aggregate<?>> aggregates, EmitMode mode) {
        this.key = key;
        this.time = time;
        this.rules = rules;
        this.aggregates = aggregates;
        this.mode = mode;
    }

    /** Sessions of the events with the same {@code keyColumn} in event time {@code time}: 30-minute gap, no aggregate, append. */
    public static SessionOptions of(String keyColumn, EventTime time) {
        ConfigException.check(time != null, "sessions: the event time is required");
        return new SessionOptions(SessionRules.name(keyColumn, "key column"), time, SessionRules.defaults(), List.of(),
                EmitMode.APPEND);
    }

    /** The rules that cut sessions (replaces the default 30-minute gap). */
    public SessionOptions rules(SessionRules r) {
        return new SessionOptions(key, time, Objects.requireNonNull(r, "rules"), aggregates, mode);
    }

    /** What to compute per session besides the built-in columns, in output column order (replaces earlier ones). */
    public SessionOptions aggregates(Aggregate<?>... list) {
        ConfigException.check(list != null, "sessions: aggregates must not be null");
        return new SessionOptions(key, time, rules, List.of(list), mode);
    }

    /** {@link EmitMode#APPEND}: each session once, final; {@link EmitMode#UPDATE}: open sessions every time they change too. */
    public SessionOptions emit(EmitMode m) {
        ConfigException.check(m != null, "sessions: emit mode is required");
        return new SessionOptions(key, time, rules, aggregates, m);
    }

    public String keyColumn() {
        return key;
    }

    public EventTime eventTime() {
        return time;
    }

    public SessionRules rules() {
        return rules;
    }

    public List<Aggregate<?>> aggregates() {
        return aggregates;
    }

    public EmitMode mode() {
        return mode;
    }

    /**
     * The output columns: {@code key} (type of the key column), {@code session_start}, {@code session_end},
     * {@code last_event_time} (timestamps), {@code duration_ms}, {@code event_count}, {@code session_id}, the
     * aggregates' columns, {@code is_final}, {@code end_reason}.
     */
    public StructType outputSchema(DataType keyType) {
        StructType t = new StructType()
                .add("key", keyType)
                .add("session_start", DataTypes.TimestampType, false)
                .add("session_end", DataTypes.TimestampType, false)
                .add("last_event_time", DataTypes.TimestampType, false)
                .add("duration_ms", DataTypes.LongType, false)
                .add("event_count", DataTypes.LongType, false)
                .add("session_id", DataTypes.StringType, false);
        for (Aggregate<?> a : aggregates) {
            for (StructField f : a.output().fields()) {
                t = t.add(f);
            }
        }
        return t.add("is_final", DataTypes.BooleanType, false)
                .add("end_reason", DataTypes.StringType, false);
    }

    @Override
    public String toString() {
        return "sessions by " + key + " on " + time + ", " + rules + ", aggregates=" + aggregates.size() + ", mode=" + mode;
    }
}
