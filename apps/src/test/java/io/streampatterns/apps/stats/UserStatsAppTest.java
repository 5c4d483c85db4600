package io.streampatterns.apps.stats;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.EventTime;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UserStatsAppTest {
    static final StructType EVENTS = new StructType()
            .add("user_id", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType)
            .add("new_session", DataTypes.BooleanType);

    final SparkSession spark = TestSpark.get();

    @Test
    void lifetimeStatsPerUserWithIdleUsersPrunedAndTheirFinalRowEmitted(@TempDir Path dir) {
        GlobalStats.Options stats = GlobalStats.Options.of("user_id", EventTime.of("ts", Duration.ofMinutes(5)));
        UserStatsApp.Options options = UserStatsApp.Options.of(stats
                .withSums("amount").withSessionStarts("new_session").withTtl(Duration.ofHours(1)), dir.resolve("stats").toUri());
        try (StreamScenario s = StreamScenario.of(spark, EVENTS, in -> UserStatsApp.build(spark, in, options)
                        .selectExpr("user_id", "date_format(first_seen, 'HH:mm')", "date_format(last_seen, 'HH:mm')",
                                "events", "total_amount", "sessions", "pruned"))
                .mode("update").start()) {
            assertEquals(List.of("[u1,10:00,10:40,2,15.0,2,false]", "[u2,10:10,10:10,1,1.0,1,false]"),
                    Rows.sorted(s.send(row("u1", ts("10:00"), 10.0, true), row("u1", ts("10:40"), 5.0, true),
                            row("u2", ts("10:10"), 1.0, true)).rows()));
            assertEquals(List.of("[u1,10:00,10:50,3,15.0,2,false]", "[u2,10:10,10:10,1,1.0,1,true]"),
                    Rows.sorted(s.send(row("u1", ts("10:50"), null, false), row("u3", ts("11:15"), 2.0, true)).rows().stream()
                            .filter(r -> !r.getString(0).equals("u3")).toList()));
            s.restart();
            StreamScenario.Step later = s.send(row("u1", ts("11:30"), 1.0, true));
            assertEquals(List.of("[u1,10:00,11:30,4,16.0,3,false]"), Rows.sorted(later.rows()));
            assertEquals(2, later.stateRows());
        }
    }

    @Test
    void statsCommandUpsertsIntoDeltaAndPostgresAndResumesWithItsTotals(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("user_stats");
        file(in, 1, ev("u1", "2024-05-01T10:00:00Z", "5", true), ev("u2", "2024-05-01T10:10:00Z", "1.5", true), "{broken");
        file(in, 2, ev("u1", "1714558800000", "2.5", false));  // 10:20 as epoch milliseconds
        String[] args = {"--input", in.toString(), "--format", "jsonl", "--key", "user_id", "--time", "ts",
                "--sum", "amount", "--session-start", "new_session", "--ttl", "30m", "--watermark", "10m",
                "--output", out.toString(), "--warehouse", pg.jdbcUrl() + "?password=" + pg.password(),
                "--warehouse-user", pg.user(), "--once", "--max-files-per-batch", "1"};
        assertEquals(0, Cli.execute(new StatsCommand(), args));

        List<String> first = List.of("u1|10:00|10:20|2|7.5|1|f", "u2|10:10|10:10|1|1.5|1|f");
        assertEquals(first, delta(out));
        assertEquals(first, warehouse(pg));
        assertEquals(List.of("{broken"), spark.read().format("delta").load(out + "_quarantine")
                .select("raw").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        // resume from the checkpoint: u3 moves the watermark to 10:50, so in the last batch u2's timer (10:10 + 30m) prunes
        // it, while u1's event at 10:45 (not late: before the timers run, inside the watermark) keeps u1 and its totals
        file(in, 3, ev("u3", "2024-05-01T11:00:00Z", "4", true));
        file(in, 4, ev("u1", "2024-05-01T10:45:00Z", "1", false), ev("u4", "2024-05-01T10:55:00Z", "2", true));
        assertEquals(0, Cli.execute(new StatsCommand(), args));
        List<String> second = List.of("u1|10:00|10:45|3|8.5|1|f", "u2|10:10|10:10|1|1.5|1|t", "u3|11:00|11:00|1|4.0|1|f",
                "u4|10:55|10:55|1|2.0|1|f");
        assertEquals(second, delta(out));
        assertEquals(second, warehouse(pg));
    }

    @Test
    void configurationErrorsExitWithCode2(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        file(in, 1, ev("u1", "2024-05-01T10:00:00Z", "5", true));
        String[] base = {"--input", in.toString(), "--key", "user_id", "--time", "ts", "--watermark", "10m",
                "--output", dir.resolve("o").toString(), "--once"};
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "jsonl", "--ttl", "0s")));
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "jsonl", "--ttl", "soon")));
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "csv", "--ttl", "1h")));
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "jsonl", "--ttl", "1h", "--sum", "user_id")));
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "jsonl", "--ttl", "1h", "--sum", "price")));
        assertEquals(2, Cli.execute(new StatsCommand(), concat(base, "--format", "jsonl", "--ttl", "1h",
                "--warehouse", "jdbc:postgresql://127.0.0.1:1/none")));
        assertEquals(2, Cli.execute(new StatsCommand(), "--input", in.toString(), "--format", "jsonl"));
    }

    static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    List<String> delta(Path table) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(table.toString())
                .selectExpr("user_id", "date_format(first_seen, 'HH:mm')", "date_format(last_seen, 'HH:mm')", "events",
                        "total_amount", "sessions", "if(pruned, 't', 'f')").orderBy("user_id", "active_since").collectAsList()) {
            out.add(r.mkString("|"));
        }
        return out;
    }

    static List<String> warehouse(PostgresServer pg) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT user_id, to_char(first_seen AT TIME ZONE 'UTC', 'HH24:MI'), to_char(last_seen AT TIME ZONE 'UTC', 'HH24:MI'), "
                        + "events, total_amount::numeric(12, 1), sessions, pruned FROM user_stats ORDER BY user_id, active_since")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    static String ev(String user, String time, String amount, boolean newSession) {
        String t = time.matches("\\d+") ? time : "\"" + time + "\"";
        return "{\"user_id\":\"" + user + "\",\"ts\":" + t + ",\"amount\":" + amount + ",\"new_session\":" + newSession + "}";
    }

    /** Writes input file number {@code n} with a modification time that orders it after the earlier ones. */
    static void file(Path dir, int n, String... lines) throws Exception {
        InputFiles.write(dir.resolve(String.format("events-%02d.jsonl", n)), List.of(lines));
    }
}
