package io.streampatterns.apps.fraud;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.lit;

/**
 * The one row shape of the fraud query's input, so that events, labels and quarantined records of both inputs
 * travel in one stream (one query, one checkpoint, one batch id for all of them):
 * {@code kind} ({@value #EVENT}, {@value #LABEL} or {@value #QUARANTINE}), {@code id}, {@code event_time},
 * {@code num} (numeric features, null = missing), {@code str} (string features), {@code imputed} (names of numeric
 * features that were missing or not numbers), {@code label}, {@code label_time}, and for quarantined records
 * {@code raw}, {@code reason}, {@code source}, {@code input} (events or labels).
 */
final class FraudRows {
    static final String EVENT = "event";
    static final String LABEL = "label";
    static final String QUARANTINE = "quarantine";
    static final String KIND = "kind";
    static final String ID = "id";
    static final String EVENT_TIME = "event_time";
    static final String NUM = "num";
    static final String STR = "str";
    static final String IMPUTED = "imputed";
    static final String LABEL_VALUE = "label";
    static final String LABEL_TIME = "label_time";

    static final StructType SCHEMA = new StructType()
            .add(KIND, DataTypes.StringType, false)
            .add(ID, DataTypes.StringType)
            .add(EVENT_TIME, DataTypes.TimestampType)
            .add(NUM, DataTypes.createArrayType(DataTypes.DoubleType))
            .add(STR, DataTypes.createArrayType(DataTypes.StringType))
            .add(IMPUTED, DataTypes.StringType)
            .add(LABEL_VALUE, DataTypes.IntegerType)
            .add(LABEL_TIME, DataTypes.TimestampType)
            .add("raw", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("input", DataTypes.StringType);

    private FraudRows() {
    }

    /** A typed null for column {@code name} of the shape. */
    static Column none(String name) {
        return lit(null).cast(SCHEMA.apply(name).dataType()).alias(name);
    }
}
