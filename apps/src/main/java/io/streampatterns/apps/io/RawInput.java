package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import io.streampatterns.input.RecordFileFormat;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

import org.apache.spark.sql.types.DataTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/**
 * A stream of raw records: {@code raw} (the record text) and {@code source} (where it came from), from a directory
 * of line-oriented files or from a Kafka topic. The input of {@code Validation}.
 *
 * <p>Files: new files are picked up as they land, in modification-time order, {@code maxFilesPerBatch} per
 * micro-batch; each non-blank line is a record and its source is {@code path:line}. Files are read in splits, line by
 * line (never whole), by {@link RecordFileFormat}; given the record format and schema, the reader also parses each
 * record once, so that validation only converts the texts. Kafka: each record value is a record; its source is
 * {@code topic/partition@offset}.</p>
 */
public final class RawInput {
    private static final String KAFKA_RAW = "CAST(value AS STRING) AS raw";
    private static final String KAFKA_SOURCE = "concat(topic, '/', cast(partition as string), '@', cast(offset as string)) AS source";

    private RawInput() {
    }

    /** Lines of the files in {@code dir} as {@code raw, source} (see class doc); {@code maxFilesPerBatch <= 0}: no limit. */
    public static Dataset<Row> files(SparkSession spark, Path dir, int maxFilesPerBatch) {
        return read(spark, dir, maxFilesPerBatch, "none", List.of()).select(col(Validation.RAW), col(Validation.SOURCE));
    }

    /**
     * Records of {@code format} in the files in {@code dir}, parsed while read when the format allows it: {@code raw,
     * source}, and {@code __parse_error} plus one text column per field of {@code schema} (what {@code Validation}
     * takes).
     */
    public static Dataset<Row> files(SparkSession spark, Path dir, int maxFilesPerBatch, RecordFormat format, EventSchema schema) {
        List<String> fields = RecordFormat.fieldNames(schema);
        String parser = format.readerParser();
        if (parser.equals("none")) {
            return files(spark, dir, maxFilesPerBatch);
        }
        return parsed(read(spark, dir, maxFilesPerBatch, parser, fields), fields);
    }

    private static Dataset<Row> read(SparkSession spark, Path dir, int maxFilesPerBatch, String parser, List<String> fields) {
        ConfigException.check(Files.isDirectory(dir), "input directory does not exist: " + dir);
        DataStreamReader reader = spark.readStream().format(RecordFileFormat.class.getName())
                .schema(RecordFileFormat.schema(fields.size()))
                .options(RecordFileFormat.options(parser, fields));
        if (maxFilesPerBatch > 0) {
            reader = reader.option("maxFilesPerTrigger", maxFilesPerBatch);
        }
        return withSource(reader.load(dir.toString()));
    }

    private static Dataset<Row> withSource(Dataset<Row> lines) {
        return lines.withColumnRenamed(RecordFileFormat.VALUE, Validation.RAW)
                .withColumn(Validation.SOURCE, concat(col("_metadata.file_path"), lit(":"),
                        col(RecordFileFormat.LINE).cast(DataTypes.StringType)));
    }

    /** {@code raw, source}, the parse error and the field texts under the names {@code Validation} takes. */
    private static Dataset<Row> parsed(Dataset<Row> read, List<String> fields) {
        List<Column> columns = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE),
                col(RecordFileFormat.PARSE_ERROR).as(Validation.PARSE_ERROR)));
        for (int i = 0; i < fields.size(); i++) {
            columns.add(col(RecordFileFormat.fieldColumn(i)).as(RecordFormat.textColumn(fields.get(i))));
        }
        return read.select(columns.toArray(new Column[0]));
    }

    /**
     * Reads lines of files again (a batch read of the given line ranges, per file as {@code _metadata.file_path}
     * gives it) and validates them as their micro-batch did: the quarantine tap's fallback when a micro-batch had more
     * bad records than it keeps in memory.
     */
    public static QuarantineTap.Reread rereadFiles(SparkSession spark, RecordFormat format, EventSchema schema,
                                                   Validation.ValidationOptions validation) {
        return (ranges, now) -> {
            List<String> fields = RecordFormat.fieldNames(schema);
            String parser = format.readerParser();
            Dataset<Row> lines = withSource(spark.read().format(RecordFileFormat.class.getName())
                    .schema(RecordFileFormat.schema(fields.size()))
                    .options(RecordFileFormat.options(parser, fields))
                    .load(ranges.keySet().toArray(new String[0])));
            Column wanted = lit(false);
            for (Map.Entry<String, long[]> e : ranges.entrySet()) {
                wanted = wanted.or(col("_metadata.file_path").equalTo(e.getKey())
                        .and(col(RecordFileFormat.LINE).between(e.getValue()[0], e.getValue()[1])));
            }
            Dataset<Row> raw = lines.where(wanted);
            raw = parser.equals("none") ? raw.select(col(Validation.RAW), col(Validation.SOURCE)) : parsed(raw, fields);
            return raw.transform(Validation.of(schema, format, validation.at(now))::apply);
        };
    }

    /** Like {@link #rereadFiles} for Kafka: ranges of offsets per {@code topic/partition}. */
    public static QuarantineTap.Reread rereadKafka(SparkSession spark, String bootstrap, RecordFormat format,
                                                   EventSchema schema, Validation.ValidationOptions validation) {
        return (ranges, now) -> {
            Map<String, Map<String, Long>> start = new TreeMap<>();
            Map<String, Map<String, Long>> end = new TreeMap<>();
            Map<String, List<Integer>> assign = new TreeMap<>();
            for (Map.Entry<String, long[]> e : ranges.entrySet()) {
                int slash = e.getKey().lastIndexOf('/');
                String topic = e.getKey().substring(0, slash);
                String partition = e.getKey().substring(slash + 1);
                start.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, e.getValue()[0]);
                end.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, e.getValue()[1] + 1);
                assign.computeIfAbsent(topic, t -> new ArrayList<>()).add(Integer.parseInt(partition));
            }
            Dataset<Row> raw = spark.read().format("kafka").option("kafka.bootstrap.servers", bootstrap)
                    .option("assign", json(assign)).option("startingOffsets", json(start)).option("endingOffsets", json(end))
                    .load().selectExpr(KAFKA_RAW, KAFKA_SOURCE);
            return raw.transform(Validation.of(schema, format, validation.at(now))::apply);
        };
    }

    private static String json(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Values of the Kafka topic {@code topic} at {@code bootstrap}; {@code maxRecordsPerBatch <= 0} means no limit;
     * records gone before they were read fail the query unless {@code onDataLoss} says to skip them.
     */
    public static Dataset<Row> kafka(SparkSession spark, String bootstrap, String topic, long maxRecordsPerBatch,
                                     OnDataLoss onDataLoss) {
        ConfigException.check(bootstrap != null && bootstrap.matches("[^\\s:]+:\\d+(,[^\\s:]+:\\d+)*"),
                "--kafka must be host:port[,host:port...], got '" + bootstrap + "'");
        ConfigException.check(topic != null && !topic.isBlank(), "--topic is required with --kafka");
        DataStreamReader reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("failOnDataLoss", onDataLoss.failOnDataLoss());
        if (maxRecordsPerBatch > 0) {
            reader = reader.option("maxOffsetsPerTrigger", maxRecordsPerBatch);
        }
        return reader.load().selectExpr(KAFKA_RAW, KAFKA_SOURCE);
    }
}
