package io.streampatterns.bench.sinks;

import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.kafka.KafkaTransactionalSink;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code kafka-sink}: our exactly-once sink (one transaction per batch, from the driver) versus Spark's built-in Kafka
 * sink (at-least-once, from every task), writing the same rows as JSON records keyed by event id into topics of the
 * embedded broker. Agreement: both topics hold the same records (key and value), ours read with read_committed.
 */
public final class KafkaSinkBench implements Benchmark {
    /** The two sides: ours and Spark's {@code format("kafka")} sink. */
    enum Way { TRANSACTIONAL, SPARK_BUILT_IN }

    @Override
    public String name() {
        return "kafka-sink";
    }

    @Override
    public String description() {
        return "exactly-once transactional Kafka sink vs Spark's built-in (at-least-once) Kafka sink";
    }

    @Override
    public Plan plan(BenchContext ctx) throws Exception {
        SparkSession spark = ctx.spark();
        long rows = ctx.events(2_000_000, 300_000);
        Dataset<Row> records = KafkaTransactionalSink.json(Events.of(spark, rows), "event_id").cache();
        records.count();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Side ours = Side.of("ours",
                rep -> run(Way.TRANSACTIONAL, kafka, "bench-ours-" + rep, records, rows));
        Side builtIn = Side.of("spark_builtin",
                rep -> run(Way.SPARK_BUILT_IN, kafka, "bench-spark-" + rep, records, rows));
        return Plan.of(ours, builtIn).closing(() -> {
            records.unpersist();
            kafka.close();
        });
    }

    /** One side writing {@code records} to a new topic; the digest is of the records a read_committed consumer sees. */
    private static Measured run(Way way, EmbeddedKafka kafka, String topic, Dataset<Row> records, long rows) throws Exception {
        kafka.createTopic(topic, 2);
        Measured m = Measured.of(rows, () -> {
            runOnce(way, kafka.bootstrapServers(), topic, records);
            return null;
        });
        Dataset<Row> written = read(records.sparkSession(), kafka.bootstrapServers(), topic);
        return m.digest(Digests.of(written, "key", "value")).with("records", written.count());
    }

    /** One side writing {@code records} ({@code key, value}) to {@code topic}. */
    static void runOnce(Way way, String bootstrap, String topic, Dataset<Row> records) throws Exception {
        if (way == Way.TRANSACTIONAL) {
            try (KafkaTransactionalSink sink = KafkaTransactionalSink.of(KafkaTarget.of(bootstrap, topic), "bench-" + System.nanoTime())) {
                sink.write(records, 0);
            }
        } else {
            records.write().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic).save();
        }
    }

    private static Dataset<Row> read(SparkSession spark, String bootstrap, String topic) {
        return spark.read().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
                .option("kafka.isolation.level", "read_committed").load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value");
    }
}
