package io.streampatterns.apps.pipeline;

import io.streampatterns.core.ConfigException;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.kafka.KafkaTransactionalSink;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outputs of a streaming table besides its Delta table, from the overlay's {@code sinks:} entry of the table:
 * a PostgreSQL table (batched upsert on {@code warehouse-keys}) and a Kafka topic (one JSON record per row, keyed by
 * {@code kafka-key}, in a transaction), each written at most once per batch id, like the commands' {@code --warehouse}
 * and {@code --to-kafka}. The password comes from {@code STREAMPATTERNS_JDBC_PASSWORD} or the URL, never the file.
 *
 * <pre>
 * sinks:
 *   clicks: {warehouse: "${jdbc}", warehouse-user: app, warehouse-table: clicks, warehouse-keys: event_id,
 *            kafka: "${bootstrap}", kafka-topic: clean_clicks, kafka-key: event_id}
 * </pre>
 */
final class ExtraSinks implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Set<String> OPTIONS = Set.of("warehouse", "warehouse-user", "warehouse-table", "warehouse-keys",
            "kafka", "kafka-topic", "kafka-key");
    static final ExtraSinks NONE = new ExtraSinks(null, null, null);

    private final JdbcTarget warehouse;
    private final KafkaTarget kafka;
    private final String kafkaKey;

    private ExtraSinks(JdbcTarget warehouse, KafkaTarget kafka, String kafkaKey) {
        this.warehouse = warehouse;
        this.kafka = kafka;
        this.kafkaKey = kafkaKey;
    }

    /** The sinks {@code spec} describes for rows of {@code schema}; a {@link ConfigException} names the wrong option. */
    static ExtraSinks of(Overlay.SinkSpec spec, StructType schema) {
        Map<String, String> o = spec.options();
        o.keySet().forEach(k -> ConfigException.check(OPTIONS.contains(k), "unknown option '" + k + "' (options: "
                + new TreeSet<>(OPTIONS) + ")"));
        ConfigException.check(o.containsKey("warehouse") || o.containsKey("kafka"), "give warehouse: JDBC_URL or kafka: HOST:PORT");
        JdbcTarget warehouse = null;
        if (o.containsKey("warehouse")) {
            ConfigException.check(o.containsKey("warehouse-keys"), "warehouse-keys is required (the columns rows are upserted on)");
            String[] keys = columns(o.get("warehouse-keys"), schema, "warehouse-keys");
            warehouse = JdbcTarget.of(o.get("warehouse"), o.getOrDefault("warehouse-table", spec.table()), keys);
            if (o.containsKey("warehouse-user")) {
                warehouse = warehouse.withUser(o.get("warehouse-user"));
            }
        }
        KafkaTarget kafka = null;
        String key = null;
        if (o.containsKey("kafka")) {
            kafka = KafkaTarget.of(o.get("kafka"), o.getOrDefault("kafka-topic", spec.table()));
            key = o.containsKey("kafka-key") ? columns(o.get("kafka-key"), schema, "kafka-key")[0] : null;
        }
        return new ExtraSinks(warehouse, kafka, key);
    }

    private static String[] columns(String text, StructType schema, String option) {
        String[] columns = Arrays.stream(text.split(",")).map(String::strip).toArray(String[]::new);
        List<String> known = List.of(schema.fieldNames());
        for (String c : columns) {
            ConfigException.check(known.contains(c), option + ": no column '" + c + "' in the table (columns: " + known + ")");
        }
        return columns;
    }

    /** The sinks bound to the table's sink id {@code appId} (their batch records and transactional id derive from it). */
    Bound bind(String appId) {
        return new Bound(warehouse == null ? null : JdbcUpsertSink.of(warehouse, appId + ":warehouse"),
                kafka == null ? null : KafkaTransactionalSink.of(kafka, appId + ":kafka"), kafkaKey);
    }

    /** Writes one micro-batch's rows to each sink, once per batch id. */
    record Bound(JdbcUpsertSink warehouse, KafkaTransactionalSink kafka, String kafkaKey) implements Serializable {
        void write(Dataset<Row> rows, long batchId) {
            if (warehouse != null) {
                warehouse.write(rows, batchId);
            }
            if (kafka != null) {
                kafka.write(KafkaTransactionalSink.json(rows, kafkaKey), batchId);
            }
        }
    }
}
