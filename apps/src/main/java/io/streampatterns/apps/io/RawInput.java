package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * A stream of raw records: {@code raw} (the record text) and {@code source} (where it came from), from a directory
 * of line-oriented files or from a Kafka topic. The input of {@code Validation}.
 *
 * <p>Files: new files are picked up as they land, in name order, {@code maxFilesPerBatch} per micro-batch; each line
 * is a record and its source is {@code path:line}. Blank lines are not records. A file is read whole, so keep single
 * files below a few hundred MB (rotate them). Kafka: each record value is a record; its source is
 * {@code topic/partition@offset}.</p>
 */
public final class RawInput {
    private RawInput() {
    }

    /** Lines of the files in {@code dir} (see class doc); {@code maxFilesPerBatch <= 0} means no limit. */
    public static Dataset<Row> files(SparkSession spark, Path dir, int maxFilesPerBatch) {
        ConfigException.check(Files.isDirectory(dir), "input directory does not exist: " + dir);
        DataStreamReader reader = spark.readStream().format("text").option("wholetext", "true");
        if (maxFilesPerBatch > 0) {
            reader = reader.option("maxFilesPerTrigger", maxFilesPerBatch);
        }
        Dataset<Row> files = reader.load(dir.toString())
                .select(col("value"), col("_metadata.file_path").alias("file"));
        // split on a one-character literal (no regular expression), then drop the \r of a CRLF line end
        Dataset<Row> lines = files.select(col("file"), posexplode(split(col("value"), "\n")).as(new String[] {"pos", "line"}));
        Column line = col("line");
        return lines.select(col("file"), col("pos"),
                        when(line.endsWith("\r"), line.substr(lit(1), length(line).minus(1))).otherwise(line).alias("raw"))
                .filter(trim(col("raw")).notEqual(""))
                .select(col("raw"), concat(col("file"), lit(":"), expr("cast(pos + 1 as string)")).alias("source"));
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
