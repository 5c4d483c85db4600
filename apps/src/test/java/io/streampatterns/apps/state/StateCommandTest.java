package io.streampatterns.apps.state;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.stats.UserStatsApp;
import io.streampatterns.core.EventTime;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateCommandTest {
    static final StructType EVENTS = new StructType()
            .add("user_id", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType)
            .add("new_session", DataTypes.BooleanType);

    static final String CHANGELOG = "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled";

    final SparkSession spark = TestSpark.get();

    /** Runs {@code state} with {@code args}; returns exit code, stdout and stderr, sizes replaced by N. */
    static String[] state(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new StateCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[]{String.valueOf(code), out.toString().replaceAll("~\\d+ bytes", "~N bytes")
                .replaceAll("state files \\d+ bytes", "state files N bytes"), err.toString().trim()};
    }

    @Test
    void statsAppCheckpointShowsValueStateAndTimersPerPartitionAndTheRowsOfOneKey(@TempDir Path dir) {
        GlobalStats.Options stats = GlobalStats.Options.of("user_id", EventTime.of("ts", Duration.ofMinutes(10)));
        UserStatsApp.Options options = UserStatsApp.Options.of(stats
                .withSums("amount").withTtl(Duration.ofMinutes(30)), dir.resolve("stats").toUri());
        String ckpt;
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, in -> UserStatsApp.build(spark, in, options)).mode("update")
                .checkpoint(dir.resolve("ckpt")).start()) {
            s.send(row("u1", ts("10:00"), 1.0, true), row("u2", ts("10:20"), 2.0, true), row("u3", ts("10:25"), 3.0, true));
            assertEquals(3, s.send(row("u4", ts("10:45"), 4.0, true)).stateRows(), "u1 pruned at watermark 10:35");
            ckpt = s.checkpointDir().toString();
        }
        String[] all = state(ckpt);
        assertEquals("0", all[0], all[2]);
        assertEquals("checkpoint file:" + ckpt + ", state of batch 3\n"
                + "operator 0 transformWithStateExec: 2 partitions, batches 0..3, state files N bytes\n"
                + "  $eventTimers_keyToTimestamp (TimerState): 3 rows, ~N bytes\n"
                + "    partition 0: 1 rows, ~N bytes\n"
                + "    partition 1: 2 rows, ~N bytes\n"
                + "  stats (ValueState): 3 rows, ~N bytes\n"
                + "    partition 0: 1 rows, ~N bytes\n"
                + "    partition 1: 2 rows, ~N bytes\n", all[1]);

        String[] u2 = state(ckpt, "--operator", "0", "--key", "u2");
        assertEquals("0", u2[0], u2[2]);
        assertEquals("checkpoint file:" + ckpt + ", state of batch 3\n"
                + "operator 0 transformWithStateExec: 2 partitions, batches 0..3, state files N bytes\n"
                + "  $eventTimers_keyToTimestamp (TimerState): 3 rows, ~N bytes\n"
                + "    partition 0: 1 rows, ~N bytes\n"
                + "    partition 1: 2 rows, ~N bytes\n"
                + "    key u2, partition 1: {\"key\":{\"user_id\":\"u2\"},\"expiration_timestamp_ms\":1714560600000}\n"
                + "  stats (ValueState): 3 rows, ~N bytes\n"
                + "    partition 0: 1 rows, ~N bytes\n"
                + "    partition 1: 2 rows, ~N bytes\n"
                + "    key u2, partition 1: {\"key\":{\"user_id\":\"u2\"},\"value\":{\"active_since_ms\":1714558800000,"
                + "\"first_seen_ms\":1714558800000,\"last_seen_ms\":1714558800000,\"events\":1,\"sessions\":0,"
                + "\"total_amount\":2.0}}\n", u2[1], "timer at 10:20 + 30m; totals as epoch milliseconds");
        assertEquals(0, state(ckpt, "--key", "u1")[1].lines().filter(l -> l.startsWith("    key")).count(), "u1 was pruned");
    }

    @Test
    void plainStreamingAggregationCheckpointShowsItsStateStore(@TempDir Path dir) {
        String ckpt;
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, in -> in.groupBy("user_id").count()).mode("update")
                .checkpoint(dir.resolve("ckpt")).start()) {
            s.send(row("u1", ts("10:00"), 1.0, true), row("u2", ts("10:01"), 1.0, true), row("u1", ts("10:02"), 1.0, true));
            s.send(row("u3", ts("10:03"), 1.0, true));
            ckpt = s.checkpointDir().toString();
        }
        String[] all = state(ckpt, "--key", "u1");
        assertEquals("0", all[0], all[2]);
        assertEquals("checkpoint file:" + ckpt + ", state of batch 1\n"
                + "operator 0 stateStoreSave: 2 partitions, batches 0..1, state files N bytes\n"
                + "  store default: 3 rows, ~N bytes\n"
                + "    partition 0: 1 rows, ~N bytes\n"
                + "    partition 1: 2 rows, ~N bytes\n"
                + "    key u1, partition 0: {\"key\":{\"user_id\":\"u1\"},\"value\":{\"count\":2}}\n", all[1]);
    }

    /**
     * Issue 16: RocksDB reports the snapshot it loads to the driver's StateStoreCoordinator, which only a session that
     * created its StreamingQueryManager has registered (this test JVM's has, from earlier queries; the CLI's had not).
     * So {@code state} runs in a JVM of its own, on a checkpoint holding RocksDB snapshots and changelogs: two batches
     * without changelog checkpointing (a snapshot per batch, uploaded at commit), two more with it.
     */
    @Test
    void checkpointWithRocksDbSnapshotsAndChangelogsIsReadByAFreshProcess(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, in -> in.groupBy("user_id").count()).mode("update")
                .checkpoint(ckpt)) {
            spark.conf().set(CHANGELOG, "false");
            try {
                s.start();
                s.send(row("u1", ts("10:00"), 1.0, true), row("u2", ts("10:01"), 1.0, true));
                s.send(row("u1", ts("10:02"), 1.0, true));
            } finally {
                spark.conf().set(CHANGELOG, "true");
            }
            s.restart();
            s.send(row("u3", ts("10:03"), 1.0, true));
            s.send(row("u1", ts("10:04"), 1.0, true));
        }
        assertTrue(ChildJvm.countFiles(ckpt.resolve("state/0/0"), "\\d+\\.zip") > 0, "snapshots");
        assertTrue(ChildJvm.countFiles(ckpt.resolve("state/0/0"), "\\d+\\.changelog") > 0, "changelogs");

        Path log = dir.resolve("state.log");
        try (ChildJvm child = ChildJvm.start(log, StateCommand.class.getName(), ckpt.toString(), "--key", "u1")) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(3)), child.tail());
        }
        String out = Files.readString(log);
        assertTrue(out.contains("checkpoint file:" + ckpt + ", state of batch 3\n"), out);
        assertTrue(out.contains("  store default: 3 rows, ~"), out);
        assertTrue(out.contains("    key u1, partition 0: {\"key\":{\"user_id\":\"u1\"},\"value\":{\"count\":3}}\n"), out);
    }

    @Test
    void notACheckpointOrUnknownOperatorIsAConfigurationError(@TempDir Path dir) throws Exception {
        String[] missing = state(dir.resolve("nope").toString());
        assertEquals("2", missing[0]);
        assertEquals("error: no such checkpoint directory: file:" + dir.resolve("nope"), missing[2]);

        Files.createDirectories(dir.resolve("stats").resolve("offsets"));
        Files.createDirectories(dir.resolve("quarantine").resolve("offsets"));
        String[] parent = state(dir.toString());
        assertEquals("2", parent[0]);
        assertEquals("error: not a query checkpoint (no offsets/): file:" + dir + "; checkpoints inside it: quarantine, stats",
                parent[2]);

        String ckpt;
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, in -> in.groupBy("user_id").count()).mode("update")
                .checkpoint(dir.resolve("agg")).start()) {
            s.send(row("u1", ts("10:00"), 1.0, true));
            ckpt = s.checkpointDir().toString();
        }
        String[] unknown = state(ckpt, "--operator", "3");
        assertEquals("2", unknown[0]);
        assertEquals("error: no operator 3 in file:" + ckpt + " (operators: 0)", unknown[2]);
    }
}
