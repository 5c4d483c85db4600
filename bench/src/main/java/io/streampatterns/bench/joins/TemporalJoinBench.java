package io.streampatterns.bench.joins;

import io.delta.tables.DeltaTable;
import io.streampatterns.bench.Measured;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.joins.DeltaDimensionJoin;
import io.streampatterns.joins.TemporalJoin;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Temporal join ({@link TemporalJoin}: dimension kept in state from its change stream) against the naive way of
 * keeping enrichment current: re-reading a full dimension snapshot every micro-batch (a stream–static join with a
 * Delta table that an upstream job refreshes each minute).
 *
 * <p>Both run the same workload: a dimension of {@code merchants} keys, then {@code minutes} micro-batches, each one
 * minute of event time with {@code eventsPerMinute} transactions on uniformly random merchants and
 * {@code changeFraction} of the merchants changing. Loading the dimension (the initial changes, the first
 * snapshot) is not timed; for the naive way, writing each minute's snapshot update is not timed either (it is the
 * upstream job's work), only reading it and joining. Figures are events per second of timed work (and CPU seconds
 * of the same parts).</p>
 */
public final class TemporalJoinBench {
    static final StructType FACTS = new StructType()
            .add("merchant", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("amount", DataTypes.DoubleType);
    static final StructType CHANGES = new StructType()
            .add("merchant", DataTypes.StringType).add("changed_at", DataTypes.TimestampType)
            .add("op", DataTypes.StringType).add("risk", DataTypes.IntegerType);
    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    private static final AtomicLong SINK = new AtomicLong();

    private final SparkSession spark;
    private final int merchants;
    private final int eventsPerMinute;
    private final double changeFraction;
    private final int minutes;
    private final long seed;

    private TemporalJoinBench(SparkSession spark, int merchants, int eventsPerMinute, double changeFraction, int minutes, long seed) {
        this.spark = spark;
        this.merchants = merchants;
        this.eventsPerMinute = eventsPerMinute;
        this.changeFraction = changeFraction;
        this.minutes = minutes;
        this.seed = seed;
    }

    /** The set-up is {@code of(spark, 1_000_000, eventsPerMinute, 0.01, minutes)}. */
    public static TemporalJoinBench of(SparkSession spark, int merchants, int eventsPerMinute, double changeFraction, int minutes) {
        ConfigException.check(merchants > 0, "merchants must be positive");
        ConfigException.check(eventsPerMinute > 0, "events per minute must be positive");
        ConfigException.check(changeFraction >= 0 && changeFraction <= 1, "change fraction must be in [0, 1]");
        ConfigException.check(minutes > 0, "minutes must be positive");
        return new TemporalJoinBench(spark, merchants, eventsPerMinute, changeFraction, minutes, 42L);
    }

    /** What one comparison measured. */
    public static final class Result {
        public final long events;
        public final double temporalEventsPerSecond;
        public final double naiveEventsPerSecond;

        Result(long events, double temporal, double naive) {
            this.events = events;
            this.temporalEventsPerSecond = temporal;
            this.naiveEventsPerSecond = naive;
        }

        /** How many times faster the temporal join is. */
        public double ratio() {
            return temporalEventsPerSecond / naiveEventsPerSecond;
        }

        @Override
        public String toString() {
            return String.format("events=%d temporal=%.0f ev/s naive-snapshot=%.0f ev/s ratio=%.2f",
                    events, temporalEventsPerSecond, naiveEventsPerSecond, ratio());
        }
    }

    /** Runs both ways on the same generated workload (in a temporary directory). */
    public Result run() throws Exception {
        Path dir = tempDir();
        return new Result((long) eventsPerMinute * minutes, temporal(dir).eps(), naive(dir).eps());
    }

    /** The temporal join over the workload, checkpoint under {@code dir}: only feeding the minutes is timed. */
    public Measured temporal(Path dir) throws Exception {
        MemoryStream<Row> facts = MemoryStream.apply(spark, Encoders.row(FACTS));
        MemoryStream<Row> changes = MemoryStream.apply(spark, Encoders.row(CHANGES));
        TemporalJoin.Options o = TemporalJoin.Options.of("merchant", EventTime.of("ts", Duration.ofSeconds(30)),
                EventTime.of("changed_at", Duration.ofSeconds(30)));
        StreamingQuery q = start(TemporalJoin.of(changes.toDF(), o).apply(facts.toDF()), dir.resolve("temporal"));
        try {
            changes.addData(CollectionConverters.asScala(initialDimension()));
            q.processAllAvailable();
            SplittableRandom random = new SplittableRandom(seed);
            Measured.Stopwatch watch = new Measured.Stopwatch();
            for (int m = 1; m <= minutes; m++) {
                List<Row> minuteFacts = facts(random, m);
                List<Row> minuteChanges = changes(random, m);
                watch.time(() -> {
                    facts.addData(CollectionConverters.asScala(minuteFacts));
                    changes.addData(CollectionConverters.asScala(minuteChanges));
                    q.processAllAvailable();
                    return null;
                });
            }
            return watch.measured((long) eventsPerMinute * minutes);
        } finally {
            stop(q);
        }
    }

    /**
     * The naive way over the same workload, snapshot and checkpoint under {@code dir}: only feeding the minutes is
     * timed, not the upstream job's refresh of the snapshot.
     */
    public Measured naive(Path dir) throws Exception {
        String table = dir.resolve("snapshot").toString();
        spark.createDataFrame(initialDimension(), CHANGES).drop("op").write().format("delta").save(table);
        MemoryStream<Row> facts = MemoryStream.apply(spark, Encoders.row(FACTS));
        StreamingQuery q = start(DeltaDimensionJoin.of(DeltaDimensionJoin.Options.of(table, "merchant")).apply(facts.toDF()),
                dir.resolve("naive"));
        try {
            SplittableRandom random = new SplittableRandom(seed);
            Measured.Stopwatch watch = new Measured.Stopwatch();
            for (int m = 1; m <= minutes; m++) {
                List<Row> minuteFacts = facts(random, m);
                refreshSnapshot(table, changes(random, m));
                watch.time(() -> {
                    facts.addData(CollectionConverters.asScala(minuteFacts));
                    q.processAllAvailable();
                    return null;
                });
            }
            return watch.measured((long) eventsPerMinute * minutes);
        } finally {
            stop(q);
        }
    }

    private void refreshSnapshot(String table, List<Row> changes) {
        Dataset<Row> updates = spark.createDataFrame(changes, CHANGES).drop("op").dropDuplicates("merchant");
        DeltaTable.forPath(spark, table).as("t").merge(updates.as("s"), "t.merchant = s.merchant")
                .whenMatched().updateAll().whenNotMatched().insertAll().execute();
    }

    private List<Row> initialDimension() {
        List<Row> rows = new ArrayList<>(merchants);
        Timestamp t = Timestamp.from(START.minus(Duration.ofDays(1)));
        for (int i = 0; i < merchants; i++) {
            rows.add(RowFactory.create("m" + i, t, "upsert", i % 10));
        }
        return rows;
    }

    private List<Row> facts(SplittableRandom random, int minute) {
        List<Row> rows = new ArrayList<>(eventsPerMinute);
        for (int i = 0; i < eventsPerMinute; i++) {
            rows.add(RowFactory.create("m" + random.nextInt(merchants), at(minute, random), random.nextDouble() * 100));
        }
        return rows;
    }

    private List<Row> changes(SplittableRandom random, int minute) {
        int n = (int) Math.round(merchants * changeFraction);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create("m" + random.nextInt(merchants), at(minute, random), "upsert", random.nextInt(10)));
        }
        return rows;
    }

    private static Timestamp at(int minute, SplittableRandom random) {
        return Timestamp.from(START.plus(Duration.ofMinutes(minute)).plusMillis(random.nextInt(60_000)));
    }

    private static StreamingQuery start(Dataset<Row> joined, Path checkpoint) {
        VoidFunction2<Dataset<Row>, Long> count = (batch, id) -> SINK.addAndGet(batch.count());
        try {
            return joined.writeStream().outputMode("append").option("checkpointLocation", checkpoint.toString())
                    .foreachBatch(count).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void stop(StreamingQuery q) {
        try {
            q.stop();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("temporal-join-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
