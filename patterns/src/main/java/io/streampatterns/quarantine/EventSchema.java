package io.streampatterns.quarantine;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a valid event looks like: typed fields (fields declared {@code NOT NULL} are required), the event-time
 * column, an optional event-id column (dedup key), and range checks as SQL predicates with the reason a
 * failing record is quarantined for.
 *
 * <pre>{@code
 * EventSchema s = EventSchema.fromDdl("clickstream",
 *         "event_id STRING NOT NULL, user_id STRING NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE", "ts")
 *     .withEventId("event_id")
 *     .withCheck("amount IS NULL OR amount >= 0", "amount must be >= 0");
 * }</pre>
 */
public final class EventSchema {
    private final String name;
    private final StructType fields;
    private final String eventTime;
    private final String eventId;
    private final Map<String, String> checks;

    private EventSchema(String name, StructType fields, String eventTime, String eventId, Map<String, String> checks) {
        this.name = name;
        this.fields = fields;
        this.eventTime = eventTime;
        this.eventId = eventId;
        this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** A schema from Spark DDL ({@code NOT NULL} marks required fields) and the name of its TIMESTAMP event-time column. */
    public static EventSchema fromDdl(String name, String ddl, String eventTime) {
        StructType st;
        try {
            st = StructType.fromDDL(ddl);
        } catch (RuntimeException e) {
            throw new ConfigException("schema " + name + ": cannot parse DDL: " + e.getMessage().split("\\R")[0]);
        }
        return of(name, st, eventTime);
    }

    /** A schema from a struct type and the name of its TIMESTAMP event-time column. */
    public static EventSchema of(String name, StructType fields, String eventTime) {
        ConfigException.check(fields.fields().length > 0, "schema " + name + ": no fields");
        StructField t = find(fields, eventTime).orElseThrow(() -> new ConfigException(
                "schema " + name + ": event-time column '" + eventTime + "' is not a field"));
        ConfigException.check(t.dataType().equals(DataTypes.TimestampType),
                "schema " + name + ": event-time column '" + eventTime + "' must be TIMESTAMP, is " + t.dataType().simpleString());
        return new EventSchema(name, fields, t.name(), null, Map.of());
    }

    /** The same schema with {@code column} as the event id: records with an id seen before (within the watermark) are duplicates. */
    public EventSchema withEventId(String column) {
        StructField f = find(fields, column).orElseThrow(() -> new ConfigException(
                "schema " + name + ": event-id column '" + column + "' is not a field"));
        return new EventSchema(name, fields, eventTime, f.name(), checks);
    }

    /** The same schema with one more check: records where {@code sqlPredicate} is not true are quarantined with {@code reason}. */
    public EventSchema withCheck(String sqlPredicate, String reason) {
        Map<String, String> c = new LinkedHashMap<>(checks);
        c.put(sqlPredicate, reason);
        return new EventSchema(name, fields, eventTime, eventId, c);
    }

    public String name() {
        return name;
    }

    public StructType fields() {
        return fields;
    }

    public String eventTime() {
        return eventTime;
    }

    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    /** Checks in declaration order: SQL predicate → reason. */
    public Map<String, String> checks() {
        return checks;
    }

    /** Names of the fields declared NOT NULL. */
    public List<String> requiredFields() {
        List<String> out = new ArrayList<>();
        for (StructField f : fields.fields()) {
            if (!f.nullable()) {
                out.add(f.name());
            }
        }
        return out;
    }

    private static Optional<StructField> find(StructType st, String column) {
        for (StructField f : st.fields()) {
            if (f.name().equalsIgnoreCase(column)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "EventSchema{" + name + ", time=" + eventTime + ", id=" + eventId + ", " + fields.toDDL() + "}";
    }
}
