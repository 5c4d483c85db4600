package io.streampatterns.dashboard;

import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryHealthTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType);

    @TempDir
    Path tmp;

    /** Tumbling 10-minute count per user with a 5-minute watermark. */
    static Dataset<Row> tenMinuteCounts(Dataset<Row> in) {
        Dataset<Row> w = in.withWatermark("ts", "5 minutes");
        return w.groupBy(w.col("user"), window(w.col("ts"), "10 minutes")).agg(count("*").alias("n"));
    }

    @Test
    void listenerAndProgressFilesFollowAWatermarkedAggregationUntilItStops() throws TimeoutException {
        SparkSession spark = TestSpark.get();
        QueryHealth health = new QueryHealth();
        Path progressDir = tmp.resolve("_progress");
        ProgressFiles files = ProgressFiles.in(progressDir);
        spark.streams().addListener(health);
        spark.streams().addListener(files);
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, QueryHealthTest::tenMinuteCounts).mode("append").start()) {
            String id = s.query().id().toString();
            s.send(row("u1", ts("10:01")), row("u1", ts("10:04")), row("u2", ts("10:03")));
            awaitListeners(spark);
            QueryFigures first = health.query(id);
            assertTrue(first.active());
            assertEquals(2, first.stateRows(), "one open window per user");
            assertTrue(first.stateMemoryBytes() > 0, "state memory " + first.stateMemoryBytes());
            assertEquals(Instant.parse("2024-05-01T10:04:00Z"), first.newestEventTime());
            assertEquals(Instant.parse("2024-05-01T09:59:00Z"), first.watermark());
            assertEquals(Duration.ofMinutes(5), first.watermarkDelay());
            assertEquals(0, first.lateRowsTotal());

            s.send(row("u1", ts("10:16")));                      // watermark 10:11 closes both 10:00 windows
            s.send(row("u1", ts("10:02")));                      // behind the watermark: dropped
            awaitListeners(spark);
            QueryFigures later = health.query(id);
            assertEquals(1, later.stateRows(), "only u1's 10:10 window stays open");
            assertEquals(1, later.lateRowsTotal());
            assertEquals(Instant.parse("2024-05-01T10:16:00Z"), later.newestEventTime(), "newest over batches, not the late batch's max");
            assertEquals(Duration.ofMinutes(5), later.watermarkDelay());
            assertEquals(s.query().lastProgress().batchId(), later.batchId());
            assertEquals(id, later.label(), "an unnamed query is shown by id");

            QueryHealth fromFiles = new QueryHealth();
            assertEquals(1, fromFiles.load(progressDir));
            assertTrue(Files.exists(progressDir.resolve(id + ".json")));
            assertEquals(later.toJson(), fromFiles.query(id).toJson(), "another process sees the same figures");

            s.stop();
            awaitListeners(spark);
            assertFalse(health.query(id).active());
            assertNull(health.query(id).exception());
            fromFiles.load(progressDir);
            assertFalse(fromFiles.query(id).active(), "the terminated marker reaches the file");
            assertEquals(1, fromFiles.query(id).lateRowsTotal());
        } finally {
            spark.streams().removeListener(health);
            spark.streams().removeListener(files);
        }
    }

    @Test
    void observedLateEventsAddToDroppedRowsAndARepeatedBatchCountsOnce() {
        QueryFigures q = QueryFigures.fromProgress(Json.parse(PrometheusTest.PROGRESS));
        assertEquals(6, q.lateRows(), "3 + 1 dropped by watermark + 2 observed late_events");
        assertEquals(6, q.lateRowsTotal());
        QueryFigures again = q.withProgress(Json.parse(PrometheusTest.PROGRESS));
        assertEquals(6, again.lateRowsTotal(), "the same batch id reported twice");
        QueryFigures next = q.withProgress(Json.parse(PrometheusTest.PROGRESS.replace("\"batchId\" : 7", "\"batchId\" : 8")));
        assertEquals(12, next.lateRowsTotal());
    }

    @Test
    void queryWithoutWatermarkHasNoWatermarkDelay() {
        QueryFigures q = QueryFigures.started("plain", "q-3").withProgress(Json.parse(
                "{\"id\":\"q-3\",\"batchId\":0,\"timestamp\":\"2024-05-01T10:00:00.000Z\",\"eventTime\":{},\"stateOperators\":[]}"));
        assertNull(q.watermark());
        assertNull(q.watermarkDelay());
        assertEquals(0, q.stateRows());
    }

    @Test
    void progressFileNamesAreSafe() {
        assertEquals("requests_per_minute.json", ProgressFiles.fileName("requests_per_minute", "id-1"));
        assertEquals("a_b_c.json", ProgressFiles.fileName("a/b c", "id-1"));
        assertEquals("_._x.json", ProgressFiles.fileName("../x", "id-1"));
        assertEquals("id-1.json", ProgressFiles.fileName(null, "id-1"));
    }

    @Test
    void unreadableProgressFilesAreSkipped() throws Exception {
        Files.writeString(tmp.resolve("broken.json"), "{ not json");
        Files.writeString(tmp.resolve("ok.json"), PrometheusTest.PROGRESS);
        List<QueryFigures> read = ProgressFiles.readAll(tmp);
        assertEquals(1, read.size());
        assertEquals("requests_per_minute", read.get(0).label());
        assertEquals(List.of(), ProgressFiles.readAll(tmp.resolve("missing")));
    }

    private static void awaitListeners(SparkSession spark) throws TimeoutException {
        spark.sparkContext().listenerBus().waitUntilEmpty();
    }
}
