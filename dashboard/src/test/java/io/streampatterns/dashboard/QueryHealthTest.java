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
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        ProgressFiles files = ProgressFiles.in(progressDir.toUri());
        spark.streams().addListener(health);
        spark.streams().addListener(files);
        try (files; StreamScenario s = StreamScenario.of(spark, EVENTS, QueryHealthTest::tenMinuteCounts).mode("append").start()) {
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
            assertEquals(List.of(), first.warnings(), "a query keeping up");

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
            assertEquals(1, fromFiles.load(progressDir.toUri()));
            assertTrue(Files.exists(progressDir.resolve(id + ".json")));
            assertEquals(withoutLiveness(later), withoutLiveness(fromFiles.query(id)), "another process sees the same figures");
            assertEquals(ProcessHandle.current().pid() + "@", fromFiles.query(id).liveness().process().replaceAll("@.*", "@"));

            s.stop();
            awaitListeners(spark);
            assertFalse(health.query(id).active());
            assertNull(health.query(id).exception());
            fromFiles.load(progressDir.toUri());
            assertFalse(fromFiles.query(id).active(), "the terminated marker reaches the file");
            assertEquals(1, fromFiles.query(id).lateRowsTotal());
        } finally {
            spark.streams().removeListener(health);
            spark.streams().removeListener(files);
        }
    }

    /** Issue 17: while a query waits for data, its file still gets heartbeats; a failure is recorded with its exception. */
    @Test
    void progressFilesBeatWhileAQueryIdlesAndRecordItsFailure() throws TimeoutException {
        SparkSession spark = TestSpark.get();
        Path progressDir = tmp.resolve("_progress");
        ProgressFiles files = ProgressFiles.in(progressDir.toUri(), Duration.ofMillis(100));
        spark.streams().addListener(files);
        try (files; StreamScenario s = StreamScenario.of(spark, EVENTS,
                in -> in.where("user <> 'bad' OR raise_error('bad user') IS NULL")).start()) {
            String id = s.query().id().toString();
            s.send(row("u1", ts("10:01")));
            awaitListeners(spark);
            QueryFigures first = ProgressFiles.read(progressDir.resolve(id + ".json").toUri());
            assertEquals("active", first.state());
            Instant beat = first.liveness().heartbeat();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            QueryFigures later = first;
            while (!later.liveness().heartbeat().isAfter(beat) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                later = ProgressFiles.read(progressDir.resolve(id + ".json").toUri());
            }
            assertTrue(later.liveness().heartbeat().isAfter(beat), "a heartbeat without a new batch");
            assertEquals(first.batchId(), later.batchId());

            assertThrows(Exception.class, () -> s.send(row("bad", ts("10:02"))));
            awaitListeners(spark);
            QueryFigures failed = ProgressFiles.read(progressDir.resolve(id + ".json").toUri());
            assertEquals("failed", failed.state());
            assertTrue(failed.exception().contains("bad user"), failed.exception());
        } finally {
            spark.streams().removeListener(files);
        }
    }

    /** Issue 17: liveness is judged from the last sign of life, a heartbeat or a progress report. */
    @Test
    void runningQueryIsStaleOnceItsLastSignOfLifeIsOlderThanTheLimit() throws Exception {
        Instant beat = Instant.parse("2024-05-01T10:00:00Z");
        Duration limit = Duration.ofSeconds(30);
        QueryFigures q = QueryFigures.started("q", "q-1").withHeartbeat(beat, "42@host");
        assertEquals("active", q.judged(beat.plus(limit), limit).state(), "at the limit");
        QueryFigures stale = q.judged(beat.plus(limit).plusMillis(1), limit);
        assertEquals("stale", stale.state());
        assertFalse(stale.up());
        assertEquals(beat, stale.liveness().staleSince());
        assertEquals(stale.toJson(), QueryFigures.fromJson(stale.toJson()).toJson(), "read back as written");
        assertEquals("active", q.withIdleReport(beat.plusSeconds(20)).judged(beat.plusSeconds(40), limit).state(),
                "Spark's report that the query waits for data is a sign of life");
        assertEquals("stopped", q.terminated(null).judged(beat.plusSeconds(3600), limit).state());
        assertEquals("failed", q.terminated("boom").judged(beat.plusSeconds(3600), limit).state());
        assertEquals("active", QueryFigures.started("q", "q-1").judged(beat.plusSeconds(3600), limit).state(),
                "figures of an in-process listener have no sign of life to judge");

        Path old = tmp.resolve("old.json");
        Files.writeString(old, PrometheusTest.PROGRESS);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(beat));
        assertEquals(beat, ProgressFiles.read(old.toUri()).liveness().heartbeat(), "a file without heartbeat: its time");
    }

    /** Issue 13: warnings travel in the figures' JSON (progress files) and are read back as written. */
    @Test
    void warningsAreWrittenAndReadBackWithTheFigures() {
        QueryWarning w = new QueryWarning(QueryWarning.Kind.STATE_GROWS, "requests_per_minute",
                "requests_per_minute state grows: 10 → 30 rows over 3 batches (20 s) with no watermark; nothing evicted (numRowsRemoved 0)");
        QueryFigures q = QueryFigures.fromProgress(Json.parse(PrometheusTest.PROGRESS)).withWarnings(List.of(w));
        assertEquals("state_grows", q.toJson().path("warnings").get(0).path("kind").asText());
        QueryFigures back = QueryFigures.fromJson(q.toJson());
        assertEquals(List.of(w), back.warnings());
        assertEquals(List.of(w), back.withProgress(Json.parse(PrometheusTest.PROGRESS)).withHeartbeat(Instant.EPOCH, "1@h").warnings(),
                "kept until the watch says otherwise");
        com.fasterxml.jackson.databind.node.ObjectNode newer = q.toJson();
        ((com.fasterxml.jackson.databind.node.ArrayNode) newer.get("warnings")).addObject().put("kind", "from_the_future").put("message", "x");
        assertEquals(List.of(w), QueryFigures.fromJson(newer).warnings(), "a kind this reader does not know is skipped, not the file");
        assertEquals(List.of(), q.terminated(null).warnings());
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
        List<QueryFigures> read = ProgressFiles.readAll(tmp.toUri());
        assertEquals(1, read.size());
        assertEquals("requests_per_minute", read.get(0).label());
        assertEquals(List.of(), ProgressFiles.readAll(tmp.resolve("missing").toUri()));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode withoutLiveness(QueryFigures q) {
        com.fasterxml.jackson.databind.node.ObjectNode o = q.toJson();
        o.remove(List.of("heartbeat", "process", "staleSince"));
        return o;
    }

    private static void awaitListeners(SparkSession spark) throws TimeoutException {
        spark.sparkContext().listenerBus().waitUntilEmpty();
    }
}
