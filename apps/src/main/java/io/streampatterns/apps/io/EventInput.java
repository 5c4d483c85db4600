package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Validated events for the commands that take {@code --input DIR --format jsonl --time COL}: the typed good records
 * for the pipeline, and the quarantined ones captured on the way (a {@link QuarantineTap}), which the pipeline's own
 * query writes to its quarantine table ({@link QuarantineTable}): the input is read once per micro-batch.
 *
 * <p>The schema is inferred from a sample of the files present at start ({@link SchemaSample}) or given; the time
 * column accepts ISO-8601 text or epoch milliseconds and becomes a TIMESTAMP; the time column and {@code required}
 * columns must be present. Records that do not fit are quarantined with a reason, never silently dropped.</p>
 *
 * <pre>{@code
 * EventInput in = EventInput.jsonLines(spark, Path.of("in"), "ts", 1, List.of("user"));
 * Dataset<Row> events = in.events();                       // typed, good rows only
 * QuarantineTable q = QuarantineTable.of("out_quarantine", in);  // wraps the query's foreachBatch sink
 * }</pre>
 */
public final class EventInput {
    private final SparkSession spark;
    private final Dataset<Row> validated;
    private final EventSchema schema;
    private final QuarantineTap tap;
    private final QuarantineTap.Reread reread;
    /** Name of the observed metric {@code quarantined} (records quarantined per micro-batch), unique per input. */
    private final String metricName = "input-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    private EventInput(SparkSession spark, Dataset<Row> validated, EventSchema schema, QuarantineTap.Reread reread) {
        this.spark = spark;
        this.validated = validated;
        this.schema = schema;
        this.tap = QuarantineTap.register(spark, schema.name());
        this.reread = reread;
    }

    /**
     * JSON-lines files in {@code dir}, {@code maxFilesPerBatch} per micro-batch ({@code <= 0}: all), event time in
     * {@code timeColumn}, {@code required} columns that must be present in a valid record; the schema is inferred from
     * a sample of the files.
     */
    public static EventInput jsonLines(SparkSession spark, Path dir, String timeColumn, int maxFilesPerBatch,
                                       List<String> required) {
        StructType inferred = SchemaSample.infer(spark, dir);
        return files(spark, dir, maxFilesPerBatch, schemaFor(inferred, timeColumn, required));
    }

    /** Validated events of {@code schema} from the JSON-lines files in {@code dir} (parsed while read). */
    public static EventInput files(SparkSession spark, Path dir, int maxFilesPerBatch, EventSchema schema) {
        Validation.ValidationOptions v = Validation.ValidationOptions.defaults();
        return new EventInput(spark, validate(RawInput.files(spark, dir, maxFilesPerBatch, RecordFormat.JSON_LINES, schema),
                schema, v), schema, RawInput.rereadFiles(spark, RecordFormat.JSON_LINES, schema, v));
    }

    /**
     * Validated events from raw records of {@code format} ({@code raw}, {@code source}, maybe parsed while read) with
     * the given schema; quarantined records beyond what the tap keeps in memory are read again with {@code reread}.
     */
    public static EventInput of(Dataset<Row> raw, EventSchema schema, RecordFormat format, Validation.ValidationOptions v,
                                QuarantineTap.Reread reread) {
        return new EventInput(raw.sparkSession(), raw.transform(Validation.of(schema, format, v)::apply), schema, reread);
    }

    private static Dataset<Row> validate(Dataset<Row> raw, EventSchema schema, Validation.ValidationOptions v) {
        return raw.transform(Validation.of(schema, RecordFormat.JSON_LINES, v)::apply);
    }

    /** The event schema: inferred fields, the time column as TIMESTAMP, required fields NOT NULL. */
    public static EventSchema schemaFor(StructType inferred, String timeColumn, List<String> required) {
        StructType st = new StructType();
        boolean hasTime = false;
        for (StructField f : inferred.fields()) {
            if (f.name().equals("_corrupt_record")) {
                continue;
            }
            boolean isTime = f.name().equals(timeColumn);
            hasTime |= isTime;
            st = st.add(f.name(), isTime ? DataTypes.TimestampType : f.dataType(),
                    !(isTime || required.contains(f.name())));
        }
        ConfigException.check(hasTime, "time column '" + timeColumn + "' is not in the input (fields: "
                + String.join(", ", inferred.fieldNames()) + ")");
        for (String r : required) {
            ConfigException.check(List.of(st.fieldNames()).contains(r), "column '" + r + "' is not in the input (fields: "
                    + String.join(", ", inferred.fieldNames()) + ")");
        }
        return EventSchema.of("input", st, timeColumn);
    }

    /** Valid events, typed, without the bookkeeping columns; the quarantined ones are captured for {@link #drainQuarantine}. */
    public Dataset<Row> events() {
        Dataset<Row> counted = validated.observe(metricName,
                sum(when(col(Validation.REASON).isNotNull(), 1L).otherwise(0L)).as("quarantined"));
        return tap.good(counted).drop(Validation.RAW, Validation.SOURCE, Validation.REASON);
    }

    /**
     * Valid events for a second query over this input whose quarantined records the first query's sink already writes
     * (they are filtered out, not captured).
     */
    public Dataset<Row> eventsWithoutCapture() {
        return validated.filter(col(Validation.REASON).isNull()).drop(Validation.RAW, Validation.SOURCE, Validation.REASON);
    }

    public EventSchema schema() {
        return schema;
    }

    /**
     * The records quarantined by the micro-batch just evaluated ({@code raw, reason, source}): call it in the query's
     * sink, after the batch was evaluated once (see {@link QuarantineTable}).
     */
    public Dataset<Row> drainQuarantine() {
        return tap.drain(spark, reread);
    }

    /** Quarantine columns of this input ({@code raw, reason, source}). */
    static StructType quarantineSchema() {
        return QuarantineTap.QUARANTINE;
    }

    static org.apache.spark.sql.Column[] quarantineColumns() {
        return new org.apache.spark.sql.Column[] {col(Validation.RAW), col(Validation.REASON), col(Validation.SOURCE)};
    }
}
