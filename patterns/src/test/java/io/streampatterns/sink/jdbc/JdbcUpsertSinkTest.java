package io.streampatterns.sink.jdbc;

import io.streampatterns.core.ConfigException;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcUpsertSinkTest {
    static final StructType EVENTS = new StructType()
            .add("id", DataTypes.StringType)
            .add("amount", DataTypes.LongType)
            .add("note", DataTypes.StringType);

    final SparkSession spark = TestSpark.get();
    final PostgresServer pg = PostgresServer.shared();

    @Test
    void duplicateKeysInOneBatchLeaveOneRowPerKey() throws Exception {
        JdbcUpsertSink sink = JdbcUpsertSink.of(target("dup_events"), "dup");
        sink.write(batch(row("e1", 10L, "a"), row("e1", 10L, "a"), row("e2", 20L, "b"),
                row("e3", 30L, "x"), row("e3", 31L, "y")), 0);

        assertEquals(List.of("e1|10|a", "e2|20|b"), query("SELECT * FROM dup_events WHERE id <> 'e3' ORDER BY id"));
        List<String> e3 = query("SELECT * FROM dup_events WHERE id = 'e3'");
        assertEquals(1, e3.size());
        assertTrue(List.of("e3|30|x", "e3|31|y").contains(e3.get(0)), e3.toString());
        assertEquals(3, sink.rowsWritten());
    }

    @Test
    void anOutageShorterThanTheLimitIsWaitedOutAndTheBatchWrittenOnce() throws Exception {
        JdbcUpsertSink sink = JdbcUpsertSink.of(target("outage_events"), "outage").withOutageLimit(Duration.ofMinutes(2));
        sink.write(batch(row("e1", 10L, "a")), 0);
        Dataset<Row> next = batch(row("e2", 20L, "b"), row("e3", 30L, "c"));
        next.cache().count(); // the batch is in memory: the outage is the database's, not the source's
        pg.stop();
        CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
            LockSupport.parkNanos(Duration.ofSeconds(3).toNanos()); // the outage lasts 3 s
            pg.restart();
        });
        try {
            sink.write(next, 1);
        } finally {
            back.join();
        }
        assertTrue(sink.retries() > 0, "the first attempts met the outage");
        assertEquals(List.of("e1|10|a", "e2|20|b", "e3|30|c"), query("SELECT * FROM outage_events ORDER BY id"));
        assertEquals(List.of("0|1", "1|2"), query("SELECT batch_id, \"rows\" FROM streampatterns_sink_batches"
                + " WHERE sink_id = 'outage' ORDER BY batch_id"));
    }

    @Test
    void aDatabaseThatStaysDownFailsTheBatchWithOneLineAfterTheLimit() {
        JdbcUpsertSink sink = JdbcUpsertSink.of(target("down_events"), "down").withOutageLimit(Duration.ofSeconds(2));
        Dataset<Row> b = batch(row("e1", 10L, "a"));
        b.cache().count();
        pg.stop();
        try {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.write(b, 0));
            assertEquals("JDBC sink down: " + pg.jdbcUrl() + " still unreachable after 2s; batch 0 is not recorded and is"
                    + " written again when the query restarts", e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(30)) < 0, "a bounded time");
        } finally {
            pg.restart();
        }
    }

    @Test
    void hostileTableColumnAndValueTextsAreQuotedAndBoundNeverExecuted() throws Exception {
        execute("CREATE TABLE IF NOT EXISTS victim (x int)");
        String table = "evil\"; DROP TABLE victim; --";
        String column = "note\"); DROP TABLE victim; --";
        StructType hostile = new StructType().add("id", DataTypes.StringType).add(column, DataTypes.StringType);
        String value = "'); DROP TABLE victim; --";
        JdbcUpsertSink.of(target(table), "hostile").write(spark.createDataFrame(List.of(row("e1", value)), hostile), 0);

        assertEquals(List.of("e1|" + value), query("SELECT * FROM \"evil\"\"; DROP TABLE victim; --\""));
        assertEquals(List.of("id", column), query("SELECT column_name FROM information_schema.columns WHERE table_name = '"
                + table.replace("'", "''") + "' ORDER BY ordinal_position"));
        assertEquals(List.of("0"), query("SELECT count(*) FROM victim"), "the victim table is still there");
    }

    @Test
    void replayedBatchIdWritesNothingEvenAfterTheTableChanged() throws Exception {
        Dataset<Row> batch = batch(row("e1", 10L, "a"), row("e2", 20L, "b"));
        JdbcUpsertSink.of(target("replayed_events"), "replay").write(batch, 7);
        execute("UPDATE replayed_events SET amount = -1 WHERE id = 'e1'");

        JdbcUpsertSink restarted = JdbcUpsertSink.of(target("replayed_events"), "replay");
        restarted.write(batch, 7);

        assertEquals(List.of("e1|-1|a", "e2|20|b"), query("SELECT * FROM replayed_events ORDER BY id"));
        assertEquals(1, restarted.batchesSkipped());
        assertEquals(0, restarted.rowsWritten());
        assertEquals(List.of("7|2"), query("SELECT batch_id, \"rows\" FROM streampatterns_sink_batches WHERE sink_id = 'replay'"));
    }

    @Test
    void laterBatchUpdatesExistingKeysAndInsertsNewOnes() throws Exception {
        JdbcUpsertSink sink = JdbcUpsertSink.of(target("updated_events"), "update");
        sink.write(batch(row("e1", 10L, "a"), row("e2", 20L, "b")), 0);
        sink.write(batch(row("e2", 21L, "b2"), row("e3", 30L, "c")), 1);

        assertEquals(List.of("e1|10|a", "e2|21|b2", "e3|30|c"), query("SELECT * FROM updated_events ORDER BY id"));
        assertEquals(4, sink.rowsWritten());
        assertEquals(0, sink.batchesSkipped());
    }

    @Test
    void streamingQueryUpsertsEachMicroBatchOnce() throws Exception {
        JdbcUpsertSink sink = JdbcUpsertSink.of(target("streamed_events"), "stream");
        MemoryStream<Row> source = MemoryStream.apply(spark, Encoders.row(EVENTS));
        StreamingQuery query = source.toDF().writeStream()
                .option("checkpointLocation", Files.createTempDirectory("jdbc-sink-ckpt").toString())
                .foreachBatch(sink)
                .start();
        try {
            source.addData(CollectionConverters.asScala(List.of(row("e1", 10L, "a"), row("e2", 20L, "b"))));
            query.processAllAvailable();
            source.addData(CollectionConverters.asScala(List.of(row("e1", 11L, "a2"))));
            query.processAllAvailable();
        } finally {
            query.stop();
        }
        assertEquals(List.of("e1|11|a2", "e2|20|b"), query("SELECT * FROM streamed_events ORDER BY id"));
        assertEquals(List.of("0|2", "1|1"),
                query("SELECT batch_id, \"rows\" FROM streampatterns_sink_batches WHERE sink_id = 'stream' ORDER BY batch_id"));
        assertEquals(3, sink.rowsWritten());
    }

    @Test
    void typesRoundTripThroughPostgres() throws Exception {
        StructType schema = new StructType()
                .add("id", DataTypes.StringType)
                .add("n", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("ts", DataTypes.TimestampType)
                .add("d", DataTypes.DateType)
                .add("ok", DataTypes.BooleanType)
                .add("price", DataTypes.createDecimalType(12, 2));
        List<Row> rows = List.of(
                row("a", 9_007_199_254_740_993L, 1.25, ts("2024-05-01T23:30:00.123Z"), Date.valueOf("2024-02-29"), true, new BigDecimal("1234567890.12")),
                row("b", null, null, null, null, null, null));
        JdbcUpsertSink.of(JdbcTarget.of(pg.jdbcUrl(), "typed", "id").withUser(pg.user()).withPassword(pg.password()), "types")
                .write(spark.createDataFrame(rows, schema), 0);

        assertEquals(List.of("id|text", "n|bigint", "x|double precision", "ts|timestamp with time zone", "d|date",
                        "ok|boolean", "price|numeric(12,2)"),
                query("SELECT column_name, CASE WHEN data_type = 'numeric' THEN format('numeric(%s,%s)', numeric_precision, numeric_scale)"
                        + " ELSE data_type END FROM information_schema.columns WHERE table_name = 'typed' ORDER BY ordinal_position"));
        assertEquals(List.of("a|2024-05-01 23:30:00.123+00"), query("SELECT id, ts FROM typed WHERE id = 'a'"));
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        props.setProperty("password", pg.password());
        Dataset<Row> back = spark.read().jdbc(pg.jdbcUrl(), "typed", props);
        assertEquals(Rows.sorted(rows), Rows.sorted(back.collectAsList()));
    }

    @Test
    void rowAtATimeBaselineLeavesTheSameRows() throws Exception {
        JdbcRowAtATimeSink.of(target("baseline_events"))
                .call(batch(row("e1", 10L, "a"), row("e2", 20L, "b"), row("e1", 10L, "a")), 0L);
        assertEquals(List.of("e1|10|a", "e2|20|b"), query("SELECT * FROM baseline_events ORDER BY id"));
    }

    @Test
    void unreachableDatabaseIsAOneLineConfigErrorWithoutPassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String base = "jdbc:postgresql://127.0.0.1:" + port + "/warehouse";
        JdbcTarget explicit = JdbcTarget.of(base, "events", "id").withUser("etl").withPassword("s3cret-pw");
        JdbcTarget inUrl = JdbcTarget.of(base + "?password=s3cret-pw&user=etl", "events", "id");
        for (JdbcTarget t : List.of(explicit, inUrl)) {
            ConfigException e = assertThrows(ConfigException.class, t::checkReachable);
            assertTrue(e.getMessage().startsWith("cannot connect to " + base + ": Connection to 127.0.0.1:" + port + " refused"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertFalse(e.getMessage().contains("s3cret"));
            assertFalse(t.toString().contains("s3cret"), t.toString());
        }
        assertEquals("JdbcTarget{url=" + base + "?password=***&user=etl, user=null, password=(none), table=events, keys=[id], batchSize=1000}",
                inUrl.toString());

        JdbcTarget wrongPassword = JdbcTarget.of(pg.jdbcUrl(), "events", "id").withUser(pg.user()).withPassword("s3cret-pw");
        ConfigException e = assertThrows(ConfigException.class, wrongPassword::checkReachable);
        assertEquals("cannot connect to " + pg.jdbcUrl() + ": FATAL: password authentication failed for user \"streampatterns\"",
                e.getMessage());
    }

    @Test
    void unsupportedColumnTypeOrMissingKeyIsAConfigError() {
        Dataset<Row> withArray = spark.sql("SELECT 'e1' AS id, array(1, 2) AS tags");
        ConfigException e = assertThrows(ConfigException.class,
                () -> JdbcUpsertSink.of(target("bad_events"), "bad").write(withArray, 0));
        assertEquals("JDBC sink: column 'tags' has type array<int>, which the sink cannot write;"
                + " cast it (e.g. to_json for structs, arrays and maps)", e.getMessage());
        ConfigException noKey = assertThrows(ConfigException.class,
                () -> JdbcUpsertSink.of(target("bad_events"), "bad").write(batch(row("e1", 1L, "a")).drop("id"), 0));
        assertEquals("JDBC sink: key column 'id' is not a column of the batch [amount, note]", noKey.getMessage());
    }

    private JdbcTarget target(String table) {
        return JdbcTarget.of(pg.jdbcUrl(), table, "id").withUser(pg.user()).withPassword(pg.password());
    }

    private Dataset<Row> batch(Row... rows) {
        return spark.createDataFrame(List.of(rows), EVENTS);
    }

    private List<String> query(String sql) throws SQLException {
        return pg.rows(sql);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = pg.connection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
