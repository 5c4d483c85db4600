package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import io.streampatterns.input.RecordFileFormat;
import io.streampatterns.quarantine.EventSchema;
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
        Dataset<Row> read = read(spark, dir, maxFilesPerBatch, parser, fields);
        List<Column> columns = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE),
                col(RecordFileFormat.PARSE_ERROR).as(Validation.PARSE_ERROR)));
        for (int i = 0; i < fields.size(); i++) {
            columns.add(col(RecordFileFormat.fieldColumn(i)).as(RecordFormat.textColumn(fields.get(i))));
        }
        return read.select(columns.toArray(new Column[0]));
    }

    private static Dataset<Row> read(SparkSession spark, Path dir, int maxFilesPerBatch, String parser, List<String> fields) {
        ConfigException.check(Files.isDirectory(dir), "input directory does not exist: " + dir);
        DataStreamReader reader = spark.readStream().format(RecordFileFormat.class.getName())
                .schema(RecordFileFormat.schema(fields.size()))
                .options(RecordFileFormat.options(parser, fields));
        if (maxFilesPerBatch > 0) {
            reader = reader.option("maxFilesPerTrigger", maxFilesPerBatch);
        }
        Dataset<Row> lines = reader.load(dir.toString());
        return lines.withColumnRenamed(RecordFileFormat.VALUE, Validation.RAW)
                .withColumn(Validation.SOURCE, concat(col("_metadata.file_path"), lit(":"),
                        col(RecordFileFormat.LINE).cast(DataTypes.StringType)));
    }

    /** Values of the Kafka topic {@code topic} at {@code bootstrap}; {@code maxRecordsPerBatch <= 0} means no limit. */
    public static Dataset<Row> kafka(SparkSession spark, String bootstrap, String topic, long maxRecordsPerBatch) {
        ConfigException.check(bootstrap != null && bootstrap.matches("[^\\s:]+:\\d+(,[^\\s:]+:\\d+)*"),
                "--kafka must be host:port[,host:port...], got '" + bootstrap + "'");
        ConfigException.check(topic != null && !topic.isBlank(), "--topic is required with --kafka");
        DataStreamReader reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("failOnDataLoss", "false");
        if (maxRecordsPerBatch > 0) {
            reader = reader.option("maxOffsetsPerTrigger", maxRecordsPerBatch);
        }
        return reader.load().selectExpr("CAST(value AS STRING) AS raw",
                "concat(topic, '/', cast(partition as string), '@', cast(offset as string)) AS source");
    }
}
