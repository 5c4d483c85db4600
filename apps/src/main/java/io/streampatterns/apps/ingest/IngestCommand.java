package io.streampatterns.apps.ingest;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.RawInputOptions;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.cli.WarehouseOptions;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.StateOptions;
import io.streampatterns.core.Storage;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.search.SearchSink;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** {@code streampatterns ingest}: files or Kafka → validated, deduplicated → Delta lake (+ quarantine), PostgreSQL, OpenSearch, Kafka. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Exactly-once ingestion into Delta, PostgreSQL, OpenSearch, Kafka.",
                "Records from a directory of files (or a Kafka topic) are parsed with an explicit schema, checked,"
                        + " deduplicated by event id within the watermark and written to the Delta table LAKE/TABLE (partitioned"
                        + " by event date), bad records to LAKE/TABLE_quarantine with a reason, and optionally upserted into"
                        + " PostgreSQL, indexed into OpenSearch (--search) and written to a Kafka topic (--to-kafka), each"
                        + " exactly once. Running the same command again resumes from the checkpoint."})
public final class IngestCommand implements Runnable {
    @Mixin
    RawInputOptions source;

    @Option(names = "--format", required = true, paramLabel = "jsonl|csv|apache-log", description = "Record format.")
    String format;

    @Option(names = "--schema", paramLabel = "NAME|DDL_FILE",
            description = "Built-in schema (clickstream, transactions, fraud-labels, merchants, apache-log) or a Spark DDL file; "
                    + "NOT NULL marks required fields. Default for apache-log: apache-log.")
    String schema;

    @Option(names = "--event-time", paramLabel = "COL", description = "Event-time column (default: the schema's, or the DDL's first TIMESTAMP).")
    String eventTime;

    @Option(names = "--event-id", paramLabel = "COL", description = "Event-id column for dedup (default: the schema's; DDL files: none).")
    String eventId;

    @Option(names = "--lake", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Lake directory holding the Delta tables: a local path or a Hadoop file system URI (hdfs://, s3a://, ...).")
    URI lake;

    @Option(names = "--table", required = true, paramLabel = "NAME", description = "Table name: LAKE/NAME and LAKE/NAME_quarantine.")
    String table;

    /** With --warehouse, good rows are also upserted into PostgreSQL, keyed by the event id. */
    @Mixin
    WarehouseOptions warehouse;

    @Mixin
    HighwayOptions highway;

    @Option(names = "--watermark", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.Positive.class,
            description = "How late (event time) a duplicate may arrive and still be dropped (default: ${DEFAULT-VALUE}).")
    Duration watermark;

    @Option(names = "--max-future", paramLabel = "DURATION", defaultValue = "1d", converter = DurationConverter.class,
            description = "Quarantine events whose time is further than this in the future (default: ${DEFAULT-VALUE}).")
    Duration maxFuture;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "2", description = "Max files per event date per batch (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--compact-every", paramLabel = "N", defaultValue = "50", description = "Compact the lake table every N batches, 0 = never (default: ${DEFAULT-VALUE}).")
    int compactEvery;

    @Option(names = "--max-records-per-batch", paramLabel = "N", defaultValue = "0", description = "Kafka records per batch (0 = all).")
    long maxRecordsPerBatch;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        IngestApp.Options options = options();
        if (options.warehouse != null) {
            options.warehouse.checkReachable();
        }
        if (options.search != null) {
            SearchSink.of(options.search).checkReachable();
        }
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-ingest");
        // dedup state remembers these ids for this long
        StateOptions.of("ingest").with("--schema", options.schema().fields().toDDL())
                .with("--event-id", options.schema().eventId().orElse("")).with("--event-time", options.schema().eventTime())
                .with("--watermark", watermark)
                .check(spark.sparkContext().hadoopConfiguration(), Storage.text(options.checkpoint()));
        Dataset<Row> raw = source.open(spark, stream.maxFilesPerBatch(), maxRecordsPerBatch, options.format(), options.schema());
        StreamRunner.run(spark, stream.once(), null, stream.watch(),
                () -> List.of(IngestApp.start(spark, raw, options, stream.trigger(),
                        source.reread(spark, options.format(), options.schema(), options.validation))));
        System.err.println("lake table: " + Storage.text(options.tablePath()) + "  quarantine: " + Storage.text(options.quarantinePath()));
    }

    IngestApp.Options options() {
        source.check();
        RecordFormat fmt = RecordFormat.fromCliName(format);
        EventSchema s = BuiltinSchemas.resolve(schema != null ? schema : BuiltinSchemas.defaultFor(format), eventTime, eventId);
        IngestApp.Options o = IngestApp.Options.of(s, fmt, lake, table)
                .withCheckpoint(stream.checkpointOr(null))
                .withDedupWindow(watermark)
                .withValidation(Validation.ValidationOptions.defaults().withMaxFuture(maxFuture))
                .withWriters(writers)
                .withCompactEvery(compactEvery);
        JdbcTarget target = warehouse.target(table, s.eventId().orElse(Validation.SOURCE));
        return highway.apply(target == null ? o : o.withWarehouse(target));
    }

    public static void main(String[] args) {
        Cli.main(new IngestCommand(), args);
    }
}
