package io.streampatterns.apps.ingest;

import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.MicroBatch;
import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import io.streampatterns.sink.kafka.KafkaTransactionalSink;
import io.streampatterns.sink.search.SearchSink;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.to_date;

/**
 * Writes one micro-batch of the ingestion pipeline to its three sinks, each idempotent by batch id: the lake table
 * (partitioned by event date, at most {@code writers} files per date), the quarantine table and, if configured, the
 * warehouse; then compacts the lake table every {@code compactEvery} batches.
 */
final class IngestSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    static final String EVENT_DATE = "event_date";

    private final IngestApp.Options options;
    private final String appId;
    private final JdbcUpsertSink warehouse;
    private final SearchSink search;
    private final KafkaTransactionalSink kafka;
    /** Whether this sink already wrote the lake / quarantine table, which therefore exists. */
    private boolean lakeReady;
    private boolean quarantineReady;

    IngestSink(IngestApp.Options options, Path checkpoint) {
        this.options = options;
        this.appId = DeltaSinks.appIdFor(checkpoint, "ingest");
        this.warehouse = options.warehouse == null ? null : JdbcUpsertSink.of(options.warehouse, appId);
        this.search = options.search == null ? null : SearchSink.of(options.search);
        this.kafka = options.kafka == null ? null
                : KafkaTransactionalSink.of(options.kafka, DeltaSinks.appIdFor(checkpoint, "kafka:" + options.kafka.topic()));
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        // evaluated once for the sinks below, even when each of them skips the batch as a replay (see MicroBatch)
        Dataset<Row> rows = MicroBatch.evaluate(batch);
        try {
            Dataset<Row> goodWithSource = rows.filter(col(Validation.REASON).isNull())
                    .drop(Validation.RAW, Validation.REASON);
            Dataset<Row> good = goodWithSource.drop(Validation.SOURCE);
            Dataset<Row> bad = rows.filter(col(Validation.REASON).isNotNull())
                    .select(col(Validation.RAW), col(Validation.REASON), col(Validation.SOURCE),
                            current_timestamp().alias("ingested_at"));
            // Once a table exists, an empty side writes no commit (a replayed batch is empty again: nothing is lost).
            if (!lakeReady || !good.isEmpty()) {
                DeltaSinks.appendOnce(good.withColumn(EVENT_DATE, to_date(col(options.schema.eventTime())))
                        .coalesce(options.writers), options.tablePath().toString(), appId, batchId, EVENT_DATE);
                lakeReady = true;
            }
            if (!quarantineReady || !bad.isEmpty()) {
                DeltaSinks.appendOnce(bad.coalesce(1), options.quarantinePath().toString(), appId + ":quarantine", batchId);
                quarantineReady = true;
            }
            if (warehouse != null) {
                // without an event id, the record's source (file:line, topic/partition@offset) is its key
                warehouse.write(options.schema.eventId().isPresent() ? good : goodWithSource, batchId);
            }
            if (search != null) {
                // document id = event id (else source): a replayed batch overwrites its documents
                search.write(options.schema.eventId().isPresent() ? good : goodWithSource);
            }
            if (kafka != null) {
                kafka.write(KafkaTransactionalSink.json(options.schema.eventId().isPresent() ? good : goodWithSource,
                        options.keyColumn()), batchId);
            }
            if (options.compactEvery > 0 && batchId % options.compactEvery == options.compactEvery - 1) {
                DeltaSinks.compact(batch.sparkSession(), options.tablePath().toString());
            }
        } finally {
            MicroBatch.release(rows);
        }
    }
}
