package io.streampatterns.apps.cli;

import io.streampatterns.apps.io.OnDataLoss;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.core.ConfigException;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a command reads raw records from: {@code --input DIR} or {@code --kafka HOST:PORT --topic T} (a picocli mixin). */
public final class RawInputOptions {
    @Option(names = "--input", paramLabel = "DIR", description = "Directory of input files (new files are picked up as they land).")
    Path input;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Read from Kafka instead of --input.")
    String kafka;

    @Option(names = "--topic", paramLabel = "T", description = "Kafka topic (with --kafka).")
    String topic;

    @Option(names = "--on-data-loss", paramLabel = "fail|skip", defaultValue = "fail",
            description = "With --kafka: records deleted or aged out before they were read fail the query (default) or are skipped.")
    OnDataLoss onDataLoss;

    /** Checks that exactly one source is given. */
    public void check() {
        ConfigException.check(input != null ^ kafka != null, "give exactly one of --input DIR or --kafka HOST:PORT");
    }

    /** How the tap of this source reads quarantined records again (see {@code QuarantineTap}). */
    public QuarantineTap.Reread reread(SparkSession spark, RecordFormat format, EventSchema schema,
                                       Validation.ValidationOptions validation) {
        return kafka != null ? RawInput.rereadKafka(spark, kafka, format, schema, validation)
                : RawInput.rereadFiles(spark, format, schema, validation);
    }

    /**
     * The raw records of {@code format} ({@code raw, source}, parsed while read from files when the format allows it);
     * file and Kafka limits per micro-batch as in {@link RawInput} (0 = none).
     */
    public Dataset<Row> open(SparkSession spark, int maxFilesPerBatch, long maxRecordsPerBatch, RecordFormat format,
                             EventSchema schema) {
        check();
        return kafka != null ? RawInput.kafka(spark, kafka, topic, maxRecordsPerBatch, onDataLoss)
                : RawInput.files(spark, input, maxFilesPerBatch, format, schema);
    }
}
