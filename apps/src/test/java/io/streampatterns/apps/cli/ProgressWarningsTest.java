package io.streampatterns.apps.cli;

import io.streampatterns.dashboard.QueryFigures;
import io.streampatterns.dashboard.QueryHealth;
import io.streampatterns.dashboard.QueryWarning;
import io.streampatterns.dashboard.WatchOptions;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/** Issue 13: a real query whose batches take longer than its trigger interval is reported, with the numbers. */
class ProgressWarningsTest {
    static final Duration TRIGGER = Duration.ofMillis(100);

    @TempDir
    Path tmp;

    @Test
    void querySlowerThanItsTriggerIsWarnedAboutOnceOnTheDisplayAndInTheDashboardFigures() throws Exception {
        SparkSession spark = TestSpark.get();
        WatchOptions watch = WatchOptions.defaults().withTriggerInterval(TRIGGER);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressDisplay display = new ProgressDisplay(err, false, watch);
        QueryHealth health = new QueryHealth(watch);
        spark.streams().addListener(display);
        spark.streams().addListener(health);
        // the slow step: 100 ms of work per row, 4 rows a batch on one partition, so every batch takes 400 ms or more
        // against a trigger of 100 ms (sleeping here is the processing cost under test, not a wait for the stream)
        Column slow = udf((UDF1<Long, Long>) v -> {
            Thread.sleep(100);
            return v;
        }, DataTypes.LongType).apply(col("value"));
        StreamingQuery q = spark.readStream().format("rate-micro-batch").option("rowsPerBatch", 4).option("numPartitions", 1)
                .load().select(slow.alias("value"))
                .writeStream().queryName("slow_udf").format("noop").trigger(Trigger.ProcessingTime(TRIGGER.toMillis()))
                .option("checkpointLocation", tmp.resolve("checkpoint").toString()).start();
        try {
            String id = q.id().toString();
            await(() -> text(bytes).contains("warning: ") && health.query(id) != null && !health.query(id).warnings().isEmpty(),
                    Duration.ofSeconds(60));
            QueryWarning shown = health.query(id).warnings().get(0);
            assertEquals(QueryWarning.Kind.FALLS_BEHIND, shown.kind(), "what the dashboard shows while the query runs");
            assertTrue(shown.message().startsWith("slow_udf falls behind: batch durations "), shown.message());
            assertTrue(shown.message().contains(" > trigger 100 ms for 3 batches"), shown.message());
            q.stop();
            spark.sparkContext().listenerBus().waitUntilEmpty();
            List<String> warnings = text(bytes).lines().filter(l -> l.startsWith("warning: ")).toList();
            assertEquals(1, warnings.size(), "said once:\n" + text(bytes));
            assertTrue(Pattern.matches("warning: slow_udf falls behind: batch durations \\d[\\d.]* s, \\d[\\d.]* s, \\d[\\d.]* s"
                    + " > trigger 100 ms for 3 batches; input [\\d,.]+ rows/s, processed [\\d,.]+ rows/s", warnings.get(0)), warnings.get(0));
            assertTrue(text(bytes).lines().anyMatch(l -> l.startsWith("slow_udf batch ")), "the progress lines go on");
        } finally {
            q.stop();
            spark.streams().removeListener(display);
            spark.streams().removeListener(health);
        }
        QueryFigures figures = health.query(q.id().toString());
        assertEquals(List.of(), figures.warnings(), "a stopped query lags no more");
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
