package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

/**
 * Events from a directory of JSON-lines files, for the commands that take {@code --input DIR --format jsonl --time COL}.
 *
 * <p>The schema is inferred from the files present at start (or given); the time column accepts ISO-8601 text or
 * epoch milliseconds and becomes a TIMESTAMP; the time column and {@code required} columns must be present. Records
 * that do not fit go to the quarantine (see {@link #startQuarantine}) with a reason, never silently dropped.</p>
 *
 * <pre>{@code
 * EventInput in = EventInput.jsonLines(spark, Path.of("in"), "ts", 1, List.of("user"));
 * Dataset<Row> events = in.events();                       // typed, good rows only
 * StreamingQuery q = in.startQuarantine("out_quarantine", "ckpt/quarantine", Trigger.AvailableNow());
 * }</pre>
 */
public final class EventInput {
    private final Dataset<Row> validated;
    private final EventSchema schema;

    private EventInput(Dataset<Row> validated, EventSchema schema) {
        this.validated = validated;
        this.schema = schema;
    }

    /**
     * JSON-lines files in {@code dir}, {@code maxFilesPerBatch} per micro-batch ({@code <= 0}: all), event time in
     * {@code timeColumn}, {@code required} columns that must be present in a valid record.
     */
    public static EventInput jsonLines(SparkSession spark, Path dir, String timeColumn, int maxFilesPerBatch,
                                       List<String> required) {
        ConfigException.check(Files.isDirectory(dir), "input directory does not exist: " + dir);
        StructType inferred = infer(spark, dir);
        return files(spark, dir, maxFilesPerBatch, schemaFor(inferred, timeColumn, required));
    }

    /** Validated events of {@code schema} from the JSON-lines files in {@code dir} (parsed while read). */
    public static EventInput files(SparkSession spark, Path dir, int maxFilesPerBatch, EventSchema schema) {
        return of(RawInput.files(spark, dir, maxFilesPerBatch, RecordFormat.JSON_LINES, schema), schema);
    }

    /** Validated events from raw JSON records ({@code raw}, {@code source}) with the given schema. */
    public static EventInput of(Dataset<Row> raw, EventSchema schema) {
        Dataset<Row> validated = raw.transform(Validation.of(schema, RecordFormat.JSON_LINES,
                Validation.ValidationOptions.defaults())::apply);
        return new EventInput(validated, schema);
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

    private static StructType infer(SparkSession spark, Path dir) {
        StructType st = spark.read().option("mode", "PERMISSIVE").json(dir.toString()).schema();
        ConfigException.check(st.fields().length > 0 && !(st.fields().length == 1 && st.fieldNames()[0].equals("_corrupt_record")),
                "no JSON records in " + dir + " to infer the schema from");
        return st;
    }

    /** Valid events, typed, without the bookkeeping columns. */
    public Dataset<Row> events() {
        return validated.filter(col(Validation.REASON).isNull())
                .drop(Validation.RAW, Validation.SOURCE, Validation.REASON);
    }

    public EventSchema schema() {
        return schema;
    }

    /** Quarantine rows: {@code raw, reason, source, ingested_at}, with observed metric {@code quarantine.quarantined}. */
    public Dataset<Row> quarantine() {
        return validated.filter(col(Validation.REASON).isNotNull())
                .select(col(Validation.RAW), col(Validation.REASON), col(Validation.SOURCE),
                        current_timestamp().alias("ingested_at"))
                .observe("quarantine", count(lit(1)).alias("quarantined"));
    }

    /** Starts the query that appends quarantined records to the Delta table at {@code path}. */
    public StreamingQuery startQuarantine(String path, String checkpoint, Trigger trigger) {
        return quarantine().writeStream().format("delta").outputMode("append")
                .queryName("quarantine")
                .option("checkpointLocation", checkpoint)
                .trigger(trigger)
                .start(path);
    }
}
