package io.streampatterns.apps.cli;

import io.streampatterns.dashboard.QueryHealth;
import io.streampatterns.dashboard.QueryWarning;
import io.streampatterns.dashboard.WatchOptions;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a real query whose batches take longer than its trigger interval is reported, with the numbers, on the
 * command's display and in the dashboard's figures, and cleared once it has caught up.
 */
class ProgressWarningsTest {
    static final Duration TRIGGER = Duration.ofMillis(100);

    @TempDir
    Path tmp;

    @Test
    void querySlowerThanItsTriggerIsWarnedAboutOnceOnTheDisplayAndInTheDashboardFiguresUntilItCatchesUp() throws Exception {
        SparkSession spark = TestSpark.get();
        WatchOptions watch = WatchOptions.defaults().withTriggerInterval(TRIGGER);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressDisplay display = new ProgressDisplay(err, false, watch);
        QueryHealth health = new QueryHealth(watch);
        spark.streams().addListener(display);
        spark.streams().addListener(health);
        // Spark's report that a query waits for data comes every 10 s by default: 1 s keeps the test short
        String idleInterval = "spark.sql.streaming.noDataProgressEventInterval";
        String before = spark.conf().get(idleInterval, "10000ms");
        spark.conf().set(idleInterval, "1000ms");
        // the slow step: 100 ms of work per row, 4 rows a batch on one partition, so every batch takes 400 ms or more
        // against a trigger of 100 ms (sleeping here is the processing cost under test, not a wait for the stream)
        Column slow = udf((UDF1<Long, Long>) v -> {
            Thread.sleep(100);
            return v;
        }, DataTypes.LongType).apply(col("value"));
        MemoryStream<Long> input = MemoryStream.apply(spark, Encoders.LONG());
        StreamingQuery q = input.toDF().coalesce(1).select(slow.alias("value"))
                .writeStream().queryName("slow_udf").format("noop").trigger(Trigger.ProcessingTime(TRIGGER.toMillis()))
                .option("checkpointLocation", tmp.resolve("checkpoint").toString()).start();
        try {
            String id = q.id().toString();
            for (long batch = 0; batch < 3; batch++) {
                input.addData(CollectionConverters.asScala(List.of(4 * batch, 4 * batch + 1, 4 * batch + 2, 4 * batch + 3)));
                q.processAllAvailable();
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
            List<String> warnings = lines(bytes, "warning: ");
            assertEquals(1, warnings.size(), "said once:\n" + text(bytes));
            assertTrue(Pattern.matches("warning: slow_udf falls behind: batch durations \\d[^,>]*s, \\d[^,>]*s, \\d[^,>]*s"
                    + " > trigger 100 ms for 3 batches; input [\\d,.]+ rows/s(, | > )processed [\\d,.]+ rows/s", warnings.get(0)), warnings.get(0));
            assertTrue(text(bytes).lines().anyMatch(l -> l.startsWith("slow_udf batch 2: 4 records in")), "the progress lines go on");
            QueryWarning shown = health.query(id).warnings().get(0);
            assertEquals(QueryWarning.Kind.FALLS_BEHIND, shown.kind(), "what the dashboard shows while the query runs");
            assertEquals(warnings.get(0), "warning: " + shown.message(), "the same text");

            await(() -> !lines(bytes, "cleared: ").isEmpty(), Duration.ofSeconds(60));
            assertEquals(List.of("cleared: slow_udf no longer falls behind: it caught up and waits for data"), lines(bytes, "cleared: "));
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(List.of(), health.query(id).warnings(), "the dashboard's figures too, while the query still runs");
            assertTrue(q.isActive());
        } finally {
            q.stop();
            spark.conf().set(idleInterval, before);
            spark.streams().removeListener(display);
            spark.streams().removeListener(health);
        }
    }

    private static List<String> lines(ByteArrayOutputStream bytes, String prefix) {
        return text(bytes).lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Polls a real condition (the listener bus delivers progress asynchronously) until it holds or the limit passes. */
    private static void await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + limit);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
