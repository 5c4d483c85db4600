package io.streampatterns.globalagg;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GlobalStatsScenarioTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType)
            .add("items", DataTypes.LongType)
            .add("starts_session", DataTypes.BooleanType);

    static final GlobalStats.Options STATS = GlobalStats.Options.of("user", EventTime.of("ts", Duration.ofMinutes(10)))
            .withSums("amount", "items").withSessionStarts("starts_session");

    static StreamScenario scenario(GlobalStats.Options o) {
        return StreamScenario.of(TestSpark.get(), EVENTS, in -> GlobalStats.of(o).apply(in)
                .selectExpr("user", "date_format(active_since, 'HH:mm') as since", "date_format(first_seen, 'HH:mm') as first",
                        "date_format(last_seen, 'HH:mm') as last", "events", "total_amount", "total_items", "sessions", "pruned"))
                .mode("update");
    }

    static Row ev(String user, String time, Double amount, Long items, boolean startsSession) {
        return row(user, ts(time), amount, items, startsSession);
    }

    @Test
    void updateModeEmitsTheNewTotalsOfEveryKeyTouchedInABatch() {
        try (StreamScenario s = scenario(STATS).start()) {
            StreamScenario.Step first = s.send(ev("u1", "10:00", 5.0, 1L, true), ev("u1", "10:05", 2.5, null, false),
                    ev("u2", "10:02", 1.0, 3L, true));
            assertEquals(List.of("[u1,10:00,10:00,10:05,2,7.5,1,1,false]", "[u2,10:02,10:02,10:02,1,1.0,3,1,false]"),
                    Rows.sorted(first.rows()));
            assertEquals(2, first.stateRows());

            StreamScenario.Step second = s.send(ev("u1", "10:30", null, 4L, true));
            assertEquals(List.of("[u1,10:00,10:00,10:30,3,7.5,5,2,false]"), Rows.sorted(second.rows()));
            assertEquals(2, second.stateRows(), "without a TTL every key stays");
        }
    }

    @Test
    void lateEventInsideWatermarkUpdatesTotalsAndEventBehindItIsDroppedAndCounted() {
        try (StreamScenario s = scenario(STATS).start()) {
            s.send(ev("u1", "10:02", 1.0, 1L, true), ev("u2", "10:05", 1.0, 1L, true));
            assertEquals("2024-05-01T09:55:00.000Z", s.runUntilIdle().watermark());

            // 09:58 is after the watermark 09:55: first_seen moves back, active_since (the generation) stays
            StreamScenario.Step late = s.send(ev("u1", "09:58", 2.0, 1L, false));
            assertEquals(List.of("[u1,10:02,09:58,10:02,2,3.0,2,1,false]"), Rows.sorted(late.rows()));
            assertEquals(0, late.droppedLate());

            s.send(ev("u2", "10:30", 1.0, 1L, false));
            // the watermark is now 10:20: the event at 10:10 is behind it (dropped, counted), the one at 10:25 counts
            StreamScenario.Step behind = s.send(ev("u1", "10:10", 9.0, 9L, true), ev("u1", "10:25", 1.0, 1L, false));
            assertEquals(List.of("[u1,10:02,09:58,10:25,3,4.0,3,1,false]"), Rows.sorted(behind.rows()));
            assertEquals(1, behind.droppedLate());
        }
    }

    @Test
    void keyIsPrunedWhenWatermarkReachesLastSeenPlusTtlAndItsFinalTotalsAreEmitted() {
        try (StreamScenario s = scenario(STATS.withTtl(Duration.ofMinutes(30))).start()) {
            s.send(ev("u1", "10:00", 5.0, 1L, true), ev("u1", "10:05", 2.5, 1L, false), ev("u2", "10:20", 1.0, 1L, true));

            StreamScenario.Step before = s.send(ev("u2", "10:44", 1.0, 1L, false));
            assertEquals("2024-05-01T10:34:00.000Z", before.watermark());
            assertEquals(List.of("[u2,10:20,10:20,10:44,2,2.0,2,1,false]"), Rows.sorted(before.rows()));
            assertEquals(2, before.stateRows(), "u1 expires at 10:35, the watermark is at 10:34");

            StreamScenario.Step reached = s.send(ev("u2", "10:45", 1.0, 1L, false));
            assertEquals("2024-05-01T10:35:00.000Z", reached.watermark());
            assertEquals(List.of(List.of("[u2,10:20,10:20,10:45,3,3.0,3,1,false]"), List.of("[u1,10:00,10:00,10:05,2,7.5,2,1,true]")),
                    reached.batches().stream().map(Rows::sorted).toList(), "the no-data batch that moves the watermark prunes u1");
            assertEquals(1, reached.stateRows());
        }
    }

    @Test
    void manyIdleKeysArePrunedSoStateRowsStayBounded() {
        int keys = 2000;
        try (StreamScenario s = scenario(STATS.withTtl(Duration.ofHours(1))).start()) {
            List<Row> burst = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                String user = String.format("u%04d", i);
                burst.add(ev(user, "10:00", 1.0, 1L, true));
                burst.add(ev(user, String.format("10:%02d", i % 50), 2.0, 2L, false));
            }
            StreamScenario.Step active = s.send(burst);
            assertEquals(keys, active.rows().size());
            assertEquals(keys, active.stateRows());

            // one event at 12:00 moves the watermark to 11:50, past every idle key's last_seen + 1 h (<= 11:49)
            StreamScenario.Step idle = s.send(ev("x", "12:00", 0.0, 0L, true));
            assertEquals(1, idle.stateRows(), "only the key active within the TTL is left");
            List<Row> pruned = idle.rows().stream().filter(r -> r.getBoolean(8)).toList();
            assertEquals(keys, pruned.size());
            for (Row r : pruned) {
                assertEquals(2L, r.getLong(4), "final totals of " + r);
                assertEquals(3.0, r.getDouble(5));
            }
        }
    }

    @Test
    void prunedKeyThatReturnsStartsANewGenerationWithItsOwnActiveSince() {
        try (StreamScenario s = scenario(STATS.withTtl(Duration.ofMinutes(30))).start()) {
            s.send(ev("u1", "10:00", 5.0, 1L, true));
            StreamScenario.Step pruned = s.send(ev("u2", "10:45", 1.0, 1L, true));
            assertEquals(List.of("[u1,10:00,10:00,10:00,1,5.0,1,1,true]", "[u2,10:45,10:45,10:45,1,1.0,1,1,false]"),
                    Rows.sorted(pruned.rows()));

            StreamScenario.Step back = s.send(ev("u1", "10:50", 2.0, 2L, true));
            assertEquals(List.of("[u1,10:50,10:50,10:50,1,2.0,2,1,false]"), Rows.sorted(back.rows()));
            assertEquals(2, back.stateRows());
        }
    }

    @Test
    void restartFromCheckpointKeepsTotalsAndTimers() {
        try (StreamScenario s = scenario(STATS.withTtl(Duration.ofMinutes(30))).start()) {
            s.send(ev("u1", "10:00", 5.0, 1L, true), ev("u2", "10:10", 1.0, 1L, true));
            s.restart();
            StreamScenario.Step after = s.send(ev("u1", "10:20", 2.0, 1L, false));
            assertEquals(List.of("[u1,10:00,10:00,10:20,2,7.0,2,1,false]"), Rows.sorted(after.rows()));
            s.restart();
            StreamScenario.Step expiry = s.send(ev("u3", "10:50", 1.0, 1L, true));
            assertEquals(List.of("[u2,10:10,10:10,10:10,1,1.0,1,1,true]", "[u3,10:50,10:50,10:50,1,1.0,1,1,false]"),
                    Rows.sorted(expiry.rows()), "u2's timer (10:40) survived two restarts; u1's moved to 10:50");
            assertEquals(2, expiry.stateRows());
        }
    }

    @Test
    void rowsWithNullKeyOrTimeAreSkippedAndCounted() {
        try (StreamScenario s = scenario(STATS).start()) {
            StreamScenario.Step step = s.send(ev("u1", "10:00", 1.0, 1L, true), row(null, ts("10:01"), 1.0, 1L, true),
                    row("u2", null, 1.0, 1L, true));
            assertEquals(List.of("[u1,10:00,10:00,10:00,1,1.0,1,1,false]"), Rows.sorted(step.rows()));
            assertEquals(3, step.observed("global_stats", "rows"));
            assertEquals(2, step.observed("global_stats", "skipped_null"));
        }
    }

    @Test
    void badOptionsAreConfigurationErrors() {
        assertThrows(ConfigException.class, () -> GlobalStats.Options.of("user", EventTime.of("user", Duration.ZERO)));
        assertThrows(ConfigException.class, () -> STATS.withTtl(Duration.ZERO));
        assertThrows(ConfigException.class, () -> STATS.withSums("amount", "amount"));
        assertThrows(ConfigException.class, () -> STATS.withSums("ts"));
        Dataset<Row> events = TestSpark.get().createDataFrame(List.of(), EVENTS);
        ConfigException missing = assertThrows(ConfigException.class,
                () -> GlobalStats.of(STATS.withSums("price")).apply(events));
        assertEquals("global stats: column 'price' is not in the input (columns: user, ts, amount, items, starts_session)",
                missing.getMessage());
        ConfigException notNumeric = assertThrows(ConfigException.class,
                () -> GlobalStats.of(STATS.withSums("starts_session")).apply(events));
        assertEquals("global stats: sum column 'starts_session' must be numeric, got boolean", notNumeric.getMessage());
        assertThrows(ConfigException.class,
                () -> GlobalStats.of(STATS.withSessionStarts("items")).apply(events));
    }
}
