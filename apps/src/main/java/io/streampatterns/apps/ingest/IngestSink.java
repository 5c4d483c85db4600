package io.streampatterns.apps.ingest;

import io.streampatterns.core.Storage;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.MicroBatch;
import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import io.streampatterns.sink.kafka.KafkaTransactionalSink;
import io.streampatterns.sink.search.SearchSink;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.net.URI;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.to_date;

/**
 * Writes one micro-batch of the ingestion pipeline (good rows, deduplicated) to its sinks, each idempotent by batch id:
 * the lake table (partitioned by event date, at most {@code writers} files per date), then the records the batch
 * quarantined (captured while it was evaluated) to the quarantine table, and, if configured, the warehouse, the search
 * index and the Kafka topic; the lake table is compacted every {@code compactEvery} batches.
 *
 * <p>With the lake as the only sink of good rows, the write to the lake is the job that evaluates the batch: the input
 * is read, parsed, checked and deduplicated in the same pass that writes the Parquet files, with nothing materialized
 * in between. A replayed batch (its lake commit made before a crash, its checkpoint commit not) is evaluated into
 * nothing, so that the stateful steps and the quarantine capture see it once more (SPARK-52008), and Delta's
 * idempotent write is not even asked. With more sinks, the batch is evaluated once ({@link MicroBatch}) and each sink
 * reads the result.</p>
 */
final class IngestSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    static final String EVENT_DATE = "event_date";
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final IngestApp.Options options;
    private final String appId;
    private final Supplier<Dataset<Row>> quarantined;
    private final JdbcUpsertSink warehouse;
    private final SearchSink search;
    private final KafkaTransactionalSink kafka;
    /** The last batch id in the lake table: read from Delta on the first batch of this process, then kept. */
    private long lakeLast = UNKNOWN;
    /** Whether this sink already wrote the lake / quarantine table, which therefore exists. */
    private boolean lakeReady;
    private boolean quarantineReady;

    /** {@code quarantined}: the records the batch just evaluated quarantined ({@code raw, reason, source}). */
    IngestSink(IngestApp.Options options, URI checkpoint, Supplier<Dataset<Row>> quarantined) {
        this.options = options;
        this.appId = DeltaSinks.appIdFor(checkpoint, "ingest");
        this.quarantined = quarantined;
        this.warehouse = options.warehouse == null ? null : JdbcUpsertSink.of(options.warehouse, appId);
        this.search = options.search == null ? null : SearchSink.of(options.search);
        this.kafka = options.kafka == null ? null
                : KafkaTransactionalSink.of(options.kafka, DeltaSinks.appIdFor(checkpoint, "kafka:" + options.kafka.topic()));
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        if (warehouse == null && search == null && kafka == null) {
            writeLakeWhileEvaluating(batch, batchId);
        } else {
            writeEvaluated(batch, batchId);
        }
        writeQuarantine(batchId);
        if (options.compactEvery > 0 && batchId % options.compactEvery == options.compactEvery - 1) {
            DeltaSinks.compact(batch.sparkSession(), Storage.text(options.tablePath()));
        }
    }

    private void writeLakeWhileEvaluating(Dataset<Row> batch, long batchId) {
        String path = Storage.text(options.tablePath());
        if (lakeLast == UNKNOWN) {
            lakeLast = DeltaSinks.lastBatch(batch.sparkSession(), path, appId);
        }
        if (batchId <= lakeLast || MicroBatch.hasNoInput(batch)) {
            // a replay (evaluated, not written twice) or a no-data batch (dedup evicts state, emits nothing: no commit)
            batch.write().format("noop").mode("overwrite").save();
            return;
        }
        DeltaSinks.appendOnce(lakeRows(batch), path, appId, batchId, EVENT_DATE);
        lakeLast = batchId;
    }

    private void writeEvaluated(Dataset<Row> batch, long batchId) {
        // evaluated once for the sinks below, even when each of them skips the batch as a replay (see MicroBatch)
        Dataset<Row> rows = MicroBatch.evaluate(batch);
        try {
            // Once the table exists, an empty batch writes no commit (a replayed batch is empty again: nothing is lost).
            if (!lakeReady || !rows.isEmpty()) {
                DeltaSinks.appendOnce(lakeRows(rows), Storage.text(options.tablePath()), appId, batchId, EVENT_DATE);
                lakeReady = true;
            }
            // the keyed sinks' key: the event id, else the record's source (file:line, topic/partition@offset)
            if (warehouse != null) {
                warehouse.write(rows, batchId);
            }
            if (search != null) {
                search.write(rows); // document id = the key: a replayed batch overwrites its documents
            }
            if (kafka != null) {
                kafka.write(KafkaTransactionalSink.json(rows, options.keyColumn()), batchId);
            }
        } finally {
            MicroBatch.release(rows);
        }
    }

    /** The lake's rows: the schema's fields and the event date, at most {@code writers} files per date. */
    private Dataset<Row> lakeRows(Dataset<Row> rows) {
        return rows.drop(Validation.SOURCE).withColumn(EVENT_DATE, to_date(col(options.schema.eventTime())))
                .coalesce(options.writers);
    }

    private void writeQuarantine(long batchId) {
        Dataset<Row> bad = quarantined.get().withColumn("ingested_at", current_timestamp());
        // Once the table exists, a batch without bad records writes no commit (a replay finds none again).
        if (!quarantineReady || !bad.isEmpty()) {
            DeltaSinks.appendOnce(bad.coalesce(1), Storage.text(options.quarantinePath()), appId + ":quarantine", batchId);
            quarantineReady = true;
        }
    }
}
