package io.streampatterns.globalagg;

import io.delta.tables.DeltaTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsSinkTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType);
    static final GlobalStats.Options STATS = GlobalStats.Options.of("user", EventTime.of("ts", Duration.ofMinutes(10)))
            .withSums("amount").withTtl(Duration.ofMinutes(30));
    static final String SELECT = "SELECT \"user\", to_char(active_since AT TIME ZONE 'UTC', 'HH24:MI'), "
            + "to_char(last_seen AT TIME ZONE 'UTC', 'HH24:MI'), events, total_amount::numeric(12, 1), pruned FROM %s ORDER BY 1, 2";

    final SparkSession spark = TestSpark.get();
    final PostgresServer pg = PostgresServer.shared();

    @Test
    void prunedKeysFinalRowsStayInDeltaAndPostgresAfterAReplayedBatch(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path table = dir.resolve("user_stats");
        Path checkpoint = dir.resolve("ckpt");
        // one file per micro-batch; the watermark (10 min) is 10:00, 10:10, 10:50 after the first three
        file(in, 1, ev("u1", "10:00", 5), ev("u2", "10:10", 1));
        file(in, 2, ev("u1", "10:20", 2));
        file(in, 3, ev("u3", "11:00", 4));
        // batch 3 runs at watermark 10:50: u2 (10:10 + 30m) and u1 (10:20 + 30m) are pruned; u4 (10:15) is not late
        // (the previous batch's watermark 10:10 filters late rows) but already past its TTL: one final row at once
        file(in, 4, ev("u4", "10:15", 3));
        run(in, table, checkpoint);

        List<String> expected = List.of("u1|10:00|10:20|2|7.0|t", "u2|10:10|10:10|1|1.0|t", "u3|11:00|11:00|1|4.0|f",
                "u4|10:15|10:15|1|3.0|t");
        assertEquals(expected, delta(table));
        assertEquals(expected, query(String.format(SELECT, "user_stats_it")));
        long version = DeltaTable.forPath(spark, table.toString()).history(1).first().getAs("version");

        // replay the last batch, as after a crash between the sink writes and the commit
        Files.delete(checkpoint.resolve("commits").resolve("3"));
        Files.deleteIfExists(checkpoint.resolve("commits").resolve(".3.crc"));
        List<Long> replayed = run(in, table, checkpoint);
        assertEquals(List.of(3L), replayed);
        assertEquals(expected, delta(table));
        assertEquals(expected, query(String.format(SELECT, "user_stats_it")));
        assertEquals(version, (long) DeltaTable.forPath(spark, table.toString()).history(1).first().getAs("version"),
                "the replayed batch wrote no new Delta version");

        // a pruned key that returns is a new generation: its old final row stays
        file(in, 5, ev("u1", "11:05", 10));
        run(in, table, checkpoint);
        List<String> withReturn = List.of("u1|10:00|10:20|2|7.0|t", "u1|11:05|11:05|1|10.0|f", "u2|10:10|10:10|1|1.0|t",
                "u3|11:00|11:00|1|4.0|f", "u4|10:15|10:15|1|3.0|t");
        assertEquals(withReturn, delta(table));
        assertEquals(withReturn, query(String.format(SELECT, "user_stats_it")));
        assertEquals(List.of("u1|3|17.0"), query("SELECT \"user\", sum(events), sum(total_amount)::numeric(12, 1) FROM user_stats_it "
                + "WHERE \"user\" = 'u1' GROUP BY 1"));
    }

    @Test
    void warehouseTableMustBeKeyedOnKeyAndActiveSince(@TempDir Path dir) {
        StatsSink sink = StatsSink.toDelta(STATS, dir.resolve("t").toUri(), dir.resolve("ckpt").toUri());
        ConfigException e = assertThrows(ConfigException.class,
                () -> sink.withWarehouse(JdbcTarget.of(pg.jdbcUrl(), "stats", "user")));
        assertEquals("stats sink: the warehouse table must be keyed on [user, active_since], got [user]", e.getMessage());
    }

    /** Runs the statistics over the files in {@code in} until all are processed; returns the batch ids run. */
    List<Long> run(Path in, Path table, Path checkpoint) throws Exception {
        Dataset<Row> events = spark.readStream().schema(EVENTS).option("maxFilesPerTrigger", 1).json(in.toString());
        StatsSink sink = StatsSink.toDelta(STATS, table.toUri(), checkpoint.toUri()).withWarehouse(JdbcTarget.of(pg.jdbcUrl(),
                "user_stats_it", STATS.sinkKeys().toArray(new String[0])).withUser(pg.user()).withPassword(pg.password()));
        StreamingQuery q = GlobalStats.of(STATS).apply(events).writeStream().outputMode("update")
                .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow())
                .foreachBatch(sink).start();
        q.awaitTermination();
        return Arrays.stream(q.recentProgress()).filter(p -> p.numInputRows() > 0)
                .map(StreamingQueryProgress::batchId).toList();
    }

    List<String> delta(Path table) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(table.toString())
                .selectExpr("user", "date_format(active_since, 'HH:mm')", "date_format(last_seen, 'HH:mm')", "events",
                        "total_amount", "if(pruned, 't', 'f')").orderBy("user", "active_since").collectAsList()) {
            out.add(r.mkString("|"));
        }
        return out;
    }

    List<String> query(String sql) throws Exception {
        return pg.rows(sql);
    }

    static String ev(String user, String time, double amount) {
        return "{\"user\":\"" + user + "\",\"ts\":\"2024-05-01T" + time + ":00Z\",\"amount\":" + amount + "}";
    }

    /** Writes file number {@code n}, with a modification time that orders it after the earlier ones. */
    static void file(Path dir, int n, String... lines) throws Exception {
        Path f = InputFiles.write(dir.resolve(String.format("events-%02d.jsonl", n)), List.of(lines));
        assertTrue(Files.size(f) > 0);
    }
}
