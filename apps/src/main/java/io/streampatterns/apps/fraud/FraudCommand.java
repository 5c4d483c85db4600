package io.streampatterns.apps.fraud;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.OnDataLoss;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.apps.io.SchemaSample;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.core.Durations;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** {@code streampatterns fraud}: scores events with an online model trained on delayed labels, exactly once. */
@Command(name = "fraud", mixinStandardHelpOptions = true,
        description = {"Fraud scoring by an online model trained on late labels.",
                "Events and their later labels (files or Kafka) are validated (bad records to OUTPUT/quarantine); each micro-batch scores its events with the",
                "model version current at its start (OUTPUT/scores, OUTPUT/alerts), joins the labels that arrived to the",
                "features their events were scored with, and trains once (FTRL-Proximal logistic regression, champion and",
                "challenger, Half-Space Trees anomaly score, ADWIN and Page-Hinkley drift detection): OUTPUT/models,",
                "OUTPUT/evaluation (prequential AUC, log loss, precision/recall), OUTPUT/drift, OUTPUT/labels.",
                "Defaults fit `generate transactions`. See `model list|show|rollback` for the model versions."})
public final class FraudCommand implements Runnable {
    @Option(names = "--events", paramLabel = "DIR", description = "Directory of event files (JSON lines).")
    Path events;

    @Option(names = "--labels", paramLabel = "DIR", description = "Directory of label files (JSON lines).")
    Path labels;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Directory of the output Delta tables, local or any Hadoop file system URI.")
    URI output;

    @Option(names = "--schema", paramLabel = "NAME|DDL_FILE",
            description = "Events' schema: built-in name or DDL file (default: transactions; with --features: inferred).")
    String schema;

    @Option(names = "--id", defaultValue = "tx_id", paramLabel = "COL", description = "Event id column, also in the labels (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--time", defaultValue = "ts", paramLabel = "COL", description = "Event time column (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--features", paramLabel = "COL,COL,...", split = ",",
            description = "Feature columns: numbers scaled online, strings hashed (one-hot). Default: the built-in transaction features.")
    List<String> features;

    @Option(names = "--label", defaultValue = "is_fraud", paramLabel = "COL", description = "Label column, 0/1 or true/false (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--label-time", defaultValue = "label_ts", paramLabel = "COL", description = "Label time column (default: ${DEFAULT-VALUE}).")
    String labelTime;

    @Option(names = "--watermark", defaultValue = "10m", paramLabel = "DURATION",
            description = "How late (event time) an event may be for the per-card features (default: ${DEFAULT-VALUE}).")
    String watermark;

    @Option(names = "--label-timeout", defaultValue = "7d", paramLabel = "DURATION",
            description = "Labels later than this after their event are not trained on, counted as expired (default: ${DEFAULT-VALUE}).")
    String labelTimeout;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P", description = "Alert when the score is >= P (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--eval-window", defaultValue = "5000", paramLabel = "N",
            description = "Labels per prequential evaluation window (default: ${DEFAULT-VALUE}).")
    int evalWindow;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Read events and labels from Kafka (with --events-topic, --labels-topic).")
    String kafka;

    @Option(names = "--events-topic", paramLabel = "T", description = "Kafka topic of the events.")
    String eventsTopic;

    @Option(names = "--labels-topic", paramLabel = "T", description = "Kafka topic of the labels.")
    String labelsTopic;

    @Option(names = "--on-data-loss", paramLabel = "fail|skip", defaultValue = "fail",
            description = "With --kafka: records deleted or aged out before they were read fail the query (default) or are skipped.")
    OnDataLoss onDataLoss;

    @Option(names = "--alerts-topic", paramLabel = "T", description = "Also send alerts to this Kafka topic (at least once; needs --kafka).")
    String alertsTopic;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        FraudOptions options = options();
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-fraud");
        EventSchema eventSchema = eventSchema(spark);
        // files are parsed while read, with the schemas the pipeline validates against (one read, no text column)
        EventSchema readEvents = FraudInputs.eventSchema(eventSchema, options, FraudApp.layout(eventSchema, options));
        Dataset<Row> rawEvents = kafka != null ? RawInput.kafka(spark, kafka, eventsTopic, 0, onDataLoss)
                : topLevelFiles(RawInput.files(spark, events, stream.maxFilesPerBatch(), RecordFormat.JSON_LINES, readEvents), events);
        Dataset<Row> rawLabels = kafka != null ? RawInput.kafka(spark, kafka, labelsTopic, 0, onDataLoss)
                : RawInput.files(spark, labels, stream.maxFilesPerBatch(), RecordFormat.JSON_LINES, FraudInputs.labelSchema(options));
        StreamRunner.run(spark, stream.once(), null, stream.watch(),
                () -> List.of(FraudApp.start(rawEvents, rawLabels, eventSchema, options, stream.trigger())));
        System.err.println("fraud tables under " + Storage.text(output) + ": scores, alerts, models, evaluation, drift, labels, quarantine");
    }

    FraudOptions options() {
        boolean files = events != null && labels != null;
        ConfigException.check(files ^ kafka != null, "give --events DIR --labels DIR, or --kafka HOST:PORT --events-topic T --labels-topic T");
        ConfigException.check(kafka == null || (eventsTopic != null && labelsTopic != null), "--kafka needs --events-topic and --labels-topic");
        ConfigException.check(alertsTopic == null || kafka != null, "--alerts-topic needs --kafka HOST:PORT");
        if (files) {
            ConfigException.check(Files.isDirectory(events), "events directory does not exist: " + events);
            ConfigException.check(Files.isDirectory(labels), "labels directory does not exist: " + labels);
        }
        FraudOptions o = FraudOptions.of(Storage.text(output))
                .withColumns(id, time, label, labelTime)
                .withFeatures(features == null ? List.of() : features.stream().map(String::trim).toList())
                .withWatermark(Durations.parse(watermark, "--watermark"))
                .withLabelTimeout(Durations.parsePositive(labelTimeout, "--label-timeout"))
                .withThreshold(threshold)
                .withEvalWindow(evalWindow);
        if (stream.checkpointOr(null) != null) {
            o = o.withCheckpoint(Storage.text(stream.checkpointOr(null)));
        }
        return alertsTopic == null ? o : o.withAlertsTopic(kafka, alertsTopic);
    }

    private EventSchema eventSchema(SparkSession spark) {
        if (schema != null) {
            return BuiltinSchemas.resolve(schema, time, id);
        }
        if (features == null || features.isEmpty()) {
            return BuiltinSchemas.resolve("transactions", null, null);
        }
        ConfigException.check(events != null, "--schema is required with --kafka and --features");
        return EventInput.schemaFor(SchemaSample.infer(spark, events), time, List.of(id)).withEventId(id);
    }

    /**
     * Lines of the files directly in {@code dir}: Spark's file source also lists sub-directories, and
     * {@code generate transactions} writes its labels to {@code DIR/labels}, beside the events.
     */
    public static Dataset<Row> topLevelFiles(Dataset<Row> raw, Path dir) {
        String prefix = dir.toAbsolutePath().toUri().toString().replaceAll("/+$", "");
        String regex = "^(file:)?/*" + java.util.regex.Pattern.quote(prefix.replaceFirst("^file:/*", "")) + "/[^/]+:[0-9]+$";
        return raw.filter(col("source").rlike(regex));
    }

    public static void main(String[] args) {
        Cli.main(new FraudCommand(), args);
    }
}
