package io.streampatterns.apps.fraud;

import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * Events and labels (raw records: {@code raw, source}) → one stream of {@link FraudRows}: both validated with
 * quarantine ({@link Validation}), events turned into features (the built-in {@link CardFeatures}, or the
 * {@code --features} columns as they are), labels into 0/1 with their label time.
 */
final class FraudInputs {
    private FraudInputs() {
    }

    /** The events' schema as read: built-in transactions, or the user's with numeric feature columns read as text. */
    static EventSchema eventSchema(EventSchema given, FraudOptions o, FeatureLayout layout) {
        if (o.builtinFeatures()) {
            return CardFeatures.SCHEMA;
        }
        EventSchema relaxed = EventSchema.of(given.name(), layout.relax(given.fields()), o.timeColumn);
        return relaxed.withEventId(o.idColumn);
    }

    /** The labels' schema: id and label time required, the label as text (0/1, true/false), checked. */
    static EventSchema labelSchema(FraudOptions o) {
        return EventSchema.fromDdl("labels", "`" + o.idColumn + "` STRING NOT NULL, `" + o.labelColumn + "` STRING NOT NULL, `"
                        + o.labelTimeColumn + "` TIMESTAMP NOT NULL", o.labelTimeColumn)
                .withCheck("lower(trim(`" + o.labelColumn + "`)) IN ('0', '1', 'true', 'false', '0.0', '1.0')",
                        "label '" + o.labelColumn + "' must be 0/1 or true/false");
    }

    static Dataset<Row> union(Dataset<Row> rawEvents, Dataset<Row> rawLabels, EventSchema events, FraudOptions o,
                              FeatureLayout layout) {
        Dataset<Row> ev = rawEvents.transform(Validation.of(events, RecordFormat.JSON_LINES,
                Validation.ValidationOptions.defaults())::apply);
        Dataset<Row> lb = rawLabels.transform(Validation.of(labelSchema(o), RecordFormat.JSON_LINES,
                Validation.ValidationOptions.defaults())::apply);
        Dataset<Row> good = ev.filter(col(Validation.REASON).isNull());
        Dataset<Row> features = o.builtinFeatures()
                ? CardFeatures.of(o.watermark).apply(good)
                : generic(good, o, layout);
        return eventRows(features)
                .unionByName(labelRows(lb.filter(col(Validation.REASON).isNull()), o))
                .unionByName(quarantine(ev, "events"))
                .unionByName(quarantine(lb, "labels"));
    }

    /** {@code --features} columns as they are: numbers try-cast to DOUBLE (null when not a number), the rest as text. */
    private static Dataset<Row> generic(Dataset<Row> good, FraudOptions o, FeatureLayout layout) {
        List<Column> num = new ArrayList<>();
        List<Column> bad = new ArrayList<>();
        for (String c : layout.numeric()) {
            Column v = col("`" + c + "`").try_cast(DataTypes.DoubleType);
            num.add(v);
            bad.add(when(v.isNull(), lit(c)));
        }
        List<Column> str = new ArrayList<>();
        for (String c : layout.strings()) {
            str.add(col("`" + c + "`").cast(DataTypes.StringType));
        }
        return good.select(col("`" + o.idColumn + "`").cast(DataTypes.StringType).alias(FraudRows.ID),
                col("`" + o.timeColumn + "`").alias(FraudRows.EVENT_TIME),
                array(num.toArray(new Column[0])).cast(FraudRows.SCHEMA.apply(FraudRows.NUM).dataType()).alias(FraudRows.NUM),
                array(str.toArray(new Column[0])).cast(FraudRows.SCHEMA.apply(FraudRows.STR).dataType()).alias(FraudRows.STR),
                nullif(concat_ws(",", bad.toArray(new Column[0])), lit("")).alias(FraudRows.IMPUTED));
    }

    private static Dataset<Row> eventRows(Dataset<Row> features) {
        return features.select(lit(FraudRows.EVENT).alias(FraudRows.KIND), col(FraudRows.ID), col(FraudRows.EVENT_TIME),
                col(FraudRows.NUM), col(FraudRows.STR), col(FraudRows.IMPUTED), FraudRows.none(FraudRows.LABEL_VALUE),
                FraudRows.none(FraudRows.LABEL_TIME), FraudRows.none("raw"), FraudRows.none("reason"),
                FraudRows.none("source"), FraudRows.none("input"));
    }

    private static Dataset<Row> labelRows(Dataset<Row> labels, FraudOptions o) {
        Column text = lower(trim(col("`" + o.labelColumn + "`")));
        return labels.select(lit(FraudRows.LABEL).alias(FraudRows.KIND), col("`" + o.idColumn + "`").alias(FraudRows.ID),
                FraudRows.none(FraudRows.EVENT_TIME), FraudRows.none(FraudRows.NUM), FraudRows.none(FraudRows.STR),
                FraudRows.none(FraudRows.IMPUTED),
                when(text.isin("1", "true", "1.0"), lit(1)).otherwise(lit(0)).alias(FraudRows.LABEL_VALUE),
                col("`" + o.labelTimeColumn + "`").alias(FraudRows.LABEL_TIME), FraudRows.none("raw"),
                FraudRows.none("reason"), FraudRows.none("source"), FraudRows.none("input"));
    }

    private static Dataset<Row> quarantine(Dataset<Row> validated, String input) {
        return validated.filter(col(Validation.REASON).isNotNull())
                .select(lit(FraudRows.QUARANTINE).alias(FraudRows.KIND), FraudRows.none(FraudRows.ID),
                        FraudRows.none(FraudRows.EVENT_TIME), FraudRows.none(FraudRows.NUM), FraudRows.none(FraudRows.STR),
                        FraudRows.none(FraudRows.IMPUTED), FraudRows.none(FraudRows.LABEL_VALUE),
                        FraudRows.none(FraudRows.LABEL_TIME), col(Validation.RAW).alias("raw"),
                        col(Validation.REASON).alias("reason"), col(Validation.SOURCE).alias("source"),
                        lit(input).alias("input"));
    }
}
