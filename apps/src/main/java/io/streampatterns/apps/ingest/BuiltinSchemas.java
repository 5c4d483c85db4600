package io.streampatterns.apps.ingest;

import io.streampatterns.core.ConfigException;
import io.streampatterns.quarantine.EventSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The schemas of the generated datasets and the Apache log, by name; or a user's DDL file. */
public final class BuiltinSchemas {
    private static final Map<String, EventSchema> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put("clickstream", EventSchema.fromDdl("clickstream",
                        "event_id STRING NOT NULL, user_id STRING NOT NULL, ts TIMESTAMP NOT NULL, type STRING NOT NULL, "
                                + "page STRING, campaign STRING, amount DOUBLE, device STRING", "ts")
                .withEventId("event_id")
                .withCheck("amount IS NULL OR amount >= 0", "amount must be >= 0"));
        SCHEMAS.put("transactions", EventSchema.fromDdl("transactions",
                        "tx_id STRING NOT NULL, card_id STRING NOT NULL, merchant_id STRING NOT NULL, amount DOUBLE NOT NULL, "
                                + "currency STRING, country STRING, ts TIMESTAMP NOT NULL", "ts")
                .withEventId("tx_id")
                .withCheck("amount >= 0", "amount must be >= 0"));
        SCHEMAS.put("fraud-labels", EventSchema.fromDdl("fraud-labels",
                        "tx_id STRING NOT NULL, is_fraud BOOLEAN NOT NULL, label_ts TIMESTAMP NOT NULL", "label_ts")
                .withEventId("tx_id"));
        SCHEMAS.put("merchants", EventSchema.fromDdl("merchants",
                        "merchant_id STRING NOT NULL, op STRING NOT NULL, change_ts TIMESTAMP NOT NULL, name STRING, "
                                + "category STRING, country STRING, risk_score DOUBLE", "change_ts")
                .withCheck("op IN ('upsert', 'delete')", "op must be 'upsert' or 'delete'")
                .withCheck("risk_score IS NULL OR (risk_score >= 0 AND risk_score <= 1)", "risk_score must be in [0, 1]"));
        SCHEMAS.put("apache-log", EventSchema.fromDdl("apache-log",
                        "client STRING NOT NULL, ident STRING, auth STRING, ts TIMESTAMP NOT NULL, request STRING, method STRING, "
                                + "path STRING, protocol STRING, status INT NOT NULL, bytes BIGINT, referrer STRING, agent STRING, "
                                + "response_us BIGINT", "ts")
                .withCheck("status BETWEEN 100 AND 599", "status must be an HTTP status (100-599)"));
    }

    private BuiltinSchemas() {
    }

    /** Names of the built-in schemas. */
    public static Iterable<String> names() {
        return SCHEMAS.keySet();
    }

    /**
     * The built-in schema {@code nameOrFile}, or the schema in the DDL file at that path. For a DDL file, the event time
     * is {@code eventTime} or the first TIMESTAMP column, and the event id is {@code eventId} (none if {@code null}).
     */
    public static EventSchema resolve(String nameOrFile, String eventTime, String eventId) {
        EventSchema s = SCHEMAS.get(nameOrFile);
        if (s == null) {
            Path p = Path.of(nameOrFile);
            ConfigException.check(Files.isRegularFile(p), "--schema: '" + nameOrFile + "' is neither a built-in schema "
                    + SCHEMAS.keySet() + " nor a DDL file");
            String ddl;
            try {
                ddl = Files.readString(p, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new ConfigException("--schema: cannot read " + p + ": " + e.getMessage());
            }
            EventSchema probe = EventSchema.fromDdl(p.getFileName().toString(), ddl, firstTimestamp(ddl, eventTime));
            s = probe;
        } else if (eventTime != null) {
            s = EventSchema.of(s.name(), s.fields(), eventTime);
        }
        return eventId != null ? s.withEventId(eventId) : s;
    }

    /** The default schema for a format: apache-log for Apache logs; otherwise one must be given. */
    public static String defaultFor(String format) {
        if ("apache-log".equals(format)) {
            return "apache-log";
        }
        throw new ConfigException("--schema is required for format " + format + " (a built-in name " + SCHEMAS.keySet()
                + " or a DDL file)");
    }

    private static String firstTimestamp(String ddl, String eventTime) {
        if (eventTime != null) {
            return eventTime;
        }
        for (StructField f : org.apache.spark.sql.types.StructType.fromDDL(ddl).fields()) {
            if (f.dataType().equals(DataTypes.TimestampType)) {
                return f.name();
            }
        }
        throw new ConfigException("--schema: the DDL has no TIMESTAMP column for the event time");
    }
}
