package io.streampatterns.bench.sinks;

import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Timing;
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
    enum Side { TRANSACTIONAL, SPARK_BUILT_IN }

    @Override
    public String name() {
        return "kafka-sink";
    }

    @Override
    public String description() {
        return "exactly-once transactional Kafka sink vs Spark's built-in (at-least-once) Kafka sink";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        SparkSession spark = ctx.spark();
        long rows = ctx.events(2_000_000, 300_000);
        Dataset<Row> records = KafkaTransactionalSink.json(Events.of(spark, rows), "event_id").cache();
        records.count();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("bench-ours", 2);
            kafka.createTopic("bench-spark", 2);
            double oursSeconds = runOnce(Side.TRANSACTIONAL, kafka.bootstrapServers(), "bench-ours", records);
            double sparkSeconds = runOnce(Side.SPARK_BUILT_IN, kafka.bootstrapServers(), "bench-spark", records);
            Dataset<Row> ours = read(spark, kafka.bootstrapServers(), "bench-ours");
            Dataset<Row> theirs = read(spark, kafka.bootstrapServers(), "bench-spark");
            boolean agree = ours.count() == rows && theirs.count() == rows
                    && ours.exceptAll(theirs).isEmpty() && theirs.exceptAll(ours).isEmpty();
            return BenchResult.of(name(), Timing.eps(rows, oursSeconds), Timing.eps(rows, sparkSeconds), agree)
                    .with("records", rows)
                    .with("transactions", 1);
        } finally {
            records.unpersist();
        }
    }

    /** Seconds one side takes to write {@code records} ({@code key, value}) to {@code topic}. */
    static double runOnce(Side side, String bootstrap, String topic, Dataset<Row> records) throws Exception {
        return Timing.seconds(() -> {
            if (side == Side.TRANSACTIONAL) {
                try (KafkaTransactionalSink sink = KafkaTransactionalSink.of(KafkaTarget.of(bootstrap, topic), "bench-" + System.nanoTime())) {
                    sink.write(records, 0);
                }
            } else {
                records.write().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic).save();
            }
            return null;
        });
    }

    private static Dataset<Row> read(SparkSession spark, String bootstrap, String topic) {
        return spark.read().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
                .option("kafka.isolation.level", "read_committed").load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value");
    }
}
