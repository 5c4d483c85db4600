package io.streampatterns.apps.monitor;

import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.kafka.KafkaTransactionalSink;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.net.URI;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

/**
 * The alert query's sink: each micro-batch of alert events appended once to the {@code alerts} Delta table (Delta
 * {@code txnAppId}/{@code txnVersion}) and, if configured, written to a Kafka topic in one transaction per batch
 * ({@link KafkaTransactionalSink}), keyed by {@code endpoint/rule} so that the events of one alert stay in order on
 * one partition. The batch is materialized once and always evaluated (the alert state commits for every batch id,
 * SPARK-52008).
 */
final class AlertsSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final String appId;
    private final KafkaTransactionalSink kafka;
    /** Whether the table was written (and so exists): later empty batches need no commit. */
    private boolean tableReady;

    private AlertsSink(String table, String appId, KafkaTransactionalSink kafka) {
        this.table = table;
        this.appId = appId;
        this.kafka = kafka;
    }

    /** Appends to the Delta table {@code table}; with {@code kafka} (nullable) also to that topic. */
    static AlertsSink of(String table, URI checkpoint, KafkaTarget kafka) {
        String appId = DeltaSinks.appIdFor(checkpoint, "alerts");
        return new AlertsSink(table, appId, kafka == null ? null
                : KafkaTransactionalSink.of(kafka, DeltaSinks.appIdFor(checkpoint, "kafka:" + kafka.topic())));
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        Dataset<Row> alerts = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            boolean empty = alerts.isEmpty();
            if (!tableReady || !empty) {
                DeltaSinks.appendOnce(alerts, table, appId, batchId);
                tableReady = true;
            }
            if (kafka != null) {
                kafka.write(KafkaTransactionalSink.json(alerts, concat_ws("/", col("endpoint"), col("rule"))), batchId);
            }
        } finally {
            alerts.unpersist();
        }
    }
}
