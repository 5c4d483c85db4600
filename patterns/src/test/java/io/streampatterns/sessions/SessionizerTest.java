package io.streampatterns.sessions;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario tests of {@link Sessionizer}: one per rule, then combined rules, update mode, state and restart. */
class SessionizerTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("type", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("campaign", DataTypes.StringType)
            .add("amount", DataTypes.DoubleType)
            .add("gap", DataTypes.StringType);
    static final SessionRules GAP_30M = SessionRules.defaults();
    /** The columns the {@code sessions} command computes: first_page, last_page, campaign, amount. */
    static final Aggregate<?>[] PAGES_CAMPAIGN_AMOUNT = {Aggregates.first("page", "first_page"),
            Aggregates.last("page", "last_page"), Aggregates.firstNonNull("campaign", "campaign"), Aggregates.sum("amount", "amount")};

    static Row ev(String user, String time) {
        return row(user, ts(time), "view", null, null, null, null);
    }

    static Row ev(String user, String time, String type, String page, String campaign, Double amount, String gap) {
        return row(user, ts(time), type, page, campaign, amount, gap);
    }

    /** Sessions by user on ts, whose watermark is set upstream, with the command's aggregates. */
    static SessionOptions options(SessionRules rules, EmitMode mode) {
        return SessionOptions.of("user", EventTime.upstream("ts")).rules(rules).aggregates(PAGES_CAMPAIGN_AMOUNT).emit(mode);
    }

    static StreamScenario scenario(SessionRules rules, EmitMode mode, String watermark) {
        io.streampatterns.core.Step sessions = Sessionizer.of(options(rules, mode));
        return StreamScenario.of(TestSpark.get(), EVENTS, df -> sessions.apply(df.withWatermark("ts", watermark)))
                .mode(mode == EmitMode.UPDATE ? "update" : "append").start();
    }

    /** {@code u1 10:00-10:35 last 10:05 n=2 final gap}, times of 2024-05-01 UTC as HH:mm[:ss]. */
    static String fmt(Row r) {
        return r.get(0) + " " + time(r.getTimestamp(1)) + "-" + time(r.getTimestamp(2)) + " last " + time(r.getTimestamp(3))
                + " n=" + r.getLong(5) + (r.getBoolean(11) ? " final " : " open ") + r.getString(12);
    }

    static List<String> fmt(List<Row> rows) {
        return rows.stream().map(SessionizerTest::fmt).sorted().collect(Collectors.toList());
    }

    private static String time(Timestamp t) {
        String iso = DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
        String hm = t.toInstant().atOffset(ZoneOffset.UTC).toLocalTime().toString();
        return iso.startsWith("2024-05-01T") ? hm : iso;
    }

    @Test
    void eventExactlyGapAfterPreviousJoinsSession() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.APPEND, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:30"), ev("u1", "11:00:01"));
            assertEquals(List.of(), first.rows());
            Step flush = s.send(ev("u2", "12:00"));
            assertEquals(List.of(
                    "u1 10:00-11:00 last 10:30 n=2 final gap",
                    "u1 11:00:01-11:30:01 last 11:00:01 n=1 final gap"), fmt(flush.rows()));
            assertEquals(3_600_000L, flush.rows().stream().filter(r -> r.getLong(5) == 2).findFirst().orElseThrow().getLong(4));
        }
    }

    @Test
    void lateEventInsideWatermarkMergesSessions() {
        SessionRules rules = SessionRules.gap(Duration.ofMinutes(10));
        try (StreamScenario s = scenario(rules, EmitMode.UPDATE, "20 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:18"));
            assertEquals(List.of(
                    "u1 10:00-10:10 last 10:00 n=1 open gap",
                    "u1 10:18-10:28 last 10:18 n=1 open gap"), fmt(first.rows()));
            Step late = s.send(ev("u1", "10:09"));
            assertEquals(0, late.droppedLate());
            assertEquals(List.of(
                    "u1 10:00-10:28 last 10:18 n=3 open gap",
                    "u1 10:18-10:28 last 10:18 n=1 final superseded"), fmt(late.rows()));
            Row merged = late.rows().stream().filter(r -> r.getLong(5) == 3).findFirst().orElseThrow();
            assertEquals(first.rows().stream().filter(r -> r.getTimestamp(1).equals(ts("10:00"))).findFirst().orElseThrow().getString(6),
                    merged.getString(6), "the id follows the start, which did not move");
            Step flush = s.send(ev("u2", "11:00"));
            assertEquals(List.of(
                    "u1 10:00-10:28 last 10:18 n=3 final gap",
                    "u2 11:00-11:10 last 11:00 n=1 open gap"), fmt(flush.rows()));
        }
    }

    @Test
    void lateEventBeforeStartExtendsSessionBackwards() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.APPEND, "30 minutes")) {
            s.send(ev("u1", "10:20"), ev("u1", "10:40"));
            s.send(ev("u1", "10:00"));
            Step flush = s.send(ev("u2", "12:00"));
            assertEquals(List.of("u1 10:00-11:10 last 10:40 n=3 final gap"), fmt(flush.rows()));
        }
    }

    @Test
    void eventBehindWatermarkIsCountedAsDropped() {
        SessionRules rules = SessionRules.gap(Duration.ofMinutes(10));
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "5 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u2", "10:30"));
            assertEquals("2024-05-01T10:25:00.000Z", first.watermark());
            assertEquals(List.of("u1 10:00-10:10 last 10:00 n=1 final gap"), fmt(first.rows()));
            // 10:12 + gap = 10:22 <= watermark: dropped; 10:20 + gap = 10:30 > watermark: accepted, as Spark's session_window does
            Step late = s.send(ev("u1", "10:12"), ev("u1", "10:20"));
            assertEquals(1, late.droppedLate());
            assertEquals(List.of(), late.rows());
            Step flush = s.send(ev("u3", "11:00"));
            assertEquals(List.of(
                    "u1 10:20-10:30 last 10:20 n=1 final gap",
                    "u2 10:30-10:40 last 10:30 n=1 final gap"), fmt(flush.rows()));
        }
    }

    @Test
    void logoutClosesSessionAndBelongsToIt() {
        SessionRules rules = GAP_30M.withCloseWhen("type = 'logout'");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            s.send(ev("u1", "10:00"), ev("u1", "10:05", "logout", null, null, null, null), ev("u1", "10:10"));
            Step flush = s.send(ev("u2", "11:30"));
            assertEquals(List.of(
                    "u1 10:00-10:05 last 10:05 n=2 final close_event",
                    "u1 10:10-10:40 last 10:10 n=1 final gap"), fmt(flush.rows()));
        }
    }

    @Test
    void lateLogoutSplitsOpenSession() {
        SessionRules rules = GAP_30M.withCloseWhen("type = 'logout'");
        try (StreamScenario s = scenario(rules, EmitMode.UPDATE, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:10"), ev("u1", "10:20"));
            assertEquals(List.of("u1 10:00-10:50 last 10:20 n=3 open gap"), fmt(first.rows()));
            Step late = s.send(ev("u1", "10:15", "logout", null, null, null, null));
            assertEquals(List.of(
                    "u1 10:00-10:15 last 10:15 n=3 open close_event",
                    "u1 10:20-10:50 last 10:20 n=1 open gap"), fmt(late.rows()));
            Step flush = s.send(ev("u2", "11:30"));
            assertEquals(List.of(
                    "u1 10:00-10:15 last 10:15 n=3 final close_event",
                    "u1 10:20-10:50 last 10:20 n=1 final gap",
                    "u2 11:30-12:00 last 11:30 n=1 open gap"), fmt(flush.rows()));
        }
    }

    @Test
    void maxDurationCutsSession() {
        SessionRules rules = GAP_30M.withMaxDuration(Duration.ofHours(1));
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:20"), ev("u1", "10:40"), ev("u1", "11:00"), ev("u1", "11:20"), ev("u1", "11:40"));
            assertEquals(List.of("u1 10:00-11:00 last 11:00 n=4 final max_duration"), fmt(first.rows()));
            Step flush = s.send(ev("u2", "13:00"));
            assertEquals(List.of("u1 11:20-12:10 last 11:40 n=2 final gap"), fmt(flush.rows()));
        }
    }

    @Test
    void midnightSplitsInGivenZone() {
        // Europe/Paris is UTC+2 in May: local midnight is 22:00 UTC
        SessionRules rules = GAP_30M.withSplitAtMidnight("Europe/Paris");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            Step first = s.send(ev("u1", "21:50"), ev("u1", "22:10"), ev("u1", "23:50"), ev("u1", "2024-05-02T00:05:00Z"));
            assertEquals(List.of(
                    "u1 21:50-22:00 last 21:50 n=1 final midnight",
                    "u1 22:10-22:40 last 22:10 n=1 final gap"), fmt(first.rows()));
            Step flush = s.send(ev("u2", "2024-05-02T02:00:00Z"));
            assertEquals(List.of("u1 23:50-2024-05-02T00:35:00Z last 2024-05-02T00:05:00Z n=2 final gap"), fmt(flush.rows()),
                    "00:05 UTC is 02:05 in Paris: same local day as 23:50 UTC");
        }
    }

    @Test
    void campaignChangeSplits() {
        SessionRules rules = GAP_30M.withSplitOn("campaign");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            s.send(ev("u1", "10:00", "view", "/", "spring", null, null), ev("u1", "10:10", "view", "/a", "spring", null, null),
                    ev("u1", "10:20", "view", "/", "summer", null, null));
            Step flush = s.send(ev("u2", "12:00"));
            assertEquals(List.of(
                    "u1 10:00-10:20 last 10:10 n=2 final field_change",
                    "u1 10:20-10:50 last 10:20 n=1 final gap"), fmt(flush.rows()));
            assertEquals(List.of("spring", "summer"), flush.rows().stream().filter(r -> "u1".equals(r.get(0)))
                    .map(r -> r.getString(9)).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void gapColumnGivesEachEventItsOwnGap() {
        SessionRules rules = GAP_30M.withGapColumn("gap");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00", "view", null, null, null, "5m"), ev("u1", "10:06", "view", null, null, null, "1h"),
                    ev("u2", "10:00", "view", null, null, null, "20m"), ev("u2", "10:15", "view", null, null, null, null));
            assertEquals(List.of("u1 10:00-10:05 last 10:00 n=1 final gap"), fmt(first.rows()));
            Step flush = s.send(ev("u3", "12:00"));
            assertEquals(List.of(
                    "u1 10:06-11:06 last 10:06 n=1 final gap",
                    "u2 10:00-10:45 last 10:15 n=2 final gap"), fmt(flush.rows()));
        }
    }

    @Test
    void pagesCampaignAndAmountAreAggregated() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.APPEND, "10 minutes")) {
            s.send(ev("u1", "10:10", "view", "/cart", "spring", 20.0, null), ev("u1", "10:20", "buy", "/thanks", null, 5.5, null));
            s.send(ev("u1", "10:00", "view", "/home", null, null, null));
            Step flush = s.send(ev("u2", "12:00"));
            Row r = flush.rows().get(0);
            assertEquals("u1 10:00-10:50 last 10:20 n=3 final gap", fmt(r));
            assertEquals("[/home, /thanks, spring, 25.5]", List.of(r.get(7), r.get(8), r.get(9), r.get(10)).toString());
        }
    }

    /** Issue 16: summed as doubles these are 212.49999999999997; the amount is a sum of money, summed in decimal. */
    @Test
    void amountIsTheExactDecimalSumOfTheEventsAmounts() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.APPEND, "10 minutes")) {
            s.send(ev("u1", "10:00", "buy", null, null, 23.65, null), ev("u1", "10:01", "buy", null, null, 94.58, null));
            s.send(ev("u1", "10:02", "buy", null, null, 90.24, null), ev("u1", "10:03", "buy", null, null, 4.03, null));
            Row r = s.send(ev("u2", "12:00")).rows().get(0);
            assertEquals("u1 10:00-10:33 last 10:03 n=4 final gap", fmt(r));
            assertEquals("212.5", String.valueOf(r.getDouble(10)));
        }
    }

    @Test
    void userAggregatesFollowALateSplitAndARestart() {
        SessionOptions o = SessionOptions.of("user", EventTime.of("ts", Duration.ofMinutes(10)))
                .rules(GAP_30M.withCloseWhen("type = 'logout'"))
                .aggregates(Aggregates.distinct("page", "pages_"), Aggregates.stats("amount", "amount_"))
                .emit(EmitMode.UPDATE);
        io.streampatterns.core.Step sessions = Sessionizer.of(o);
        try (StreamScenario s = StreamScenario.of(TestSpark.get(), EVENTS, sessions::apply).mode("update").start()) {
            Step first = s.send(ev("u1", "10:00", "view", "/a", null, 1.0, null), ev("u1", "10:10", "view", "/b", null, 2.0, null),
                    ev("u1", "10:20", "view", "/a", null, 4.0, null));
            assertEquals(List.of("u1 10:00-10:50 n=3 pages=2 amount=7.0 max=4.0"), aggregates(first.rows()));
            s.restart();
            Step late = s.send(ev("u1", "10:15", "logout", "/bye", null, null, null));
            assertEquals(List.of("u1 10:00-10:15 n=3 pages=3 amount=3.0 max=2.0", "u1 10:20-10:50 n=1 pages=1 amount=4.0 max=4.0"),
                    aggregates(late.rows()), "the accumulators of the buffered events, read back after the restart, re-cut");
        }
    }

    /** Sessions with their distinct pages and amount figures. */
    static List<String> aggregates(List<Row> rows) {
        return rows.stream().map(r -> r.get(0) + " " + time(r.getTimestamp(1)) + "-" + time(r.getTimestamp(2)) + " n="
                + r.getLong(5) + " pages=" + r.getAs("pages_distinct") + " amount=" + r.getAs("amount_sum") + " max="
                + r.getAs("amount_max")).sorted().collect(Collectors.toList());
    }

    @Test
    void combinedRulesEndSessionsAtTheFirstRule() {
        SessionRules rules = GAP_30M.withCloseWhen("type = 'logout'").withMaxDuration(Duration.ofMinutes(45))
                .withSplitAtMidnight("UTC").withSplitOn("campaign");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "30 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:20"), ev("u1", "10:40"), ev("u1", "11:00"),
                    ev("u2", "10:00"), ev("u2", "10:10", "logout", null, null, null, null));
            assertEquals(List.of("u2 10:00-10:10 last 10:10 n=2 final close_event"), fmt(first.rows()));
            Step late = s.send(ev("u1", "10:50", "view", null, "ad", null, null));
            assertEquals(List.of(), late.rows());
            Step day = s.send(ev("u3", "23:40"), ev("u3", "2024-05-02T00:05:00Z"));
            assertEquals(List.of(
                    "u1 10:00-10:45 last 10:40 n=3 final max_duration",
                    "u1 10:50-11:00 last 10:50 n=1 final field_change",
                    "u1 11:00-11:30 last 11:00 n=1 final gap"), fmt(day.rows()));
            Step flush = s.send(ev("u9", "2024-05-02T03:00:00Z"));
            assertEquals(List.of(
                    "u3 2024-05-02T00:05:00Z-2024-05-02T00:35:00Z last 2024-05-02T00:05:00Z n=1 final gap",
                    "u3 23:40-2024-05-02T00:00:00Z last 23:40 n=1 final midnight"), fmt(flush.rows()));
        }
    }

    @Test
    void updateModeEmitsOpenSessions() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.UPDATE, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00"));
            assertEquals(List.of("u1 10:00-10:30 last 10:00 n=1 open gap"), fmt(first.rows()));
            Step second = s.send(ev("u1", "10:10"), ev("u2", "10:12"));
            assertEquals(List.of(
                    "u1 10:00-10:40 last 10:10 n=2 open gap",
                    "u2 10:12-10:42 last 10:12 n=1 open gap"), fmt(second.rows()));
            Step unchanged = s.send(ev("u2", "10:15"));
            assertEquals(List.of("u2 10:12-10:45 last 10:15 n=2 open gap"), fmt(unchanged.rows()), "u1 did not change");
            // watermark 10:35 passes u1's first end (10:30, where its timer was set) but not its end now (10:40)
            Step early = s.send(ev("u3", "10:45"));
            assertEquals(List.of("u3 10:45-11:15 last 10:45 n=1 open gap"), fmt(early.rows()));
            assertEquals(3, early.stateRows());
            assertEquals(1L, s.query().lastProgress().stateOperators()[0].customMetrics().get("numExpiredTimers"),
                    "u1's timer fired early and was set again at 10:40");
            Step flush = s.send(ev("u4", "11:00"));
            assertEquals(List.of(
                    "u1 10:00-10:40 last 10:10 n=2 final gap",
                    "u2 10:12-10:45 last 10:15 n=2 final gap",
                    "u4 11:00-11:30 last 11:00 n=1 open gap"), fmt(flush.rows()));
            assertEquals(first.rows().get(0).getString(6), flush.rows().stream().filter(r -> "u1".equals(r.get(0)))
                    .findFirst().orElseThrow().getString(6), "same session id in every emission");
        }
    }

    @Test
    void stateIsRemovedWhenSessionIsFinal() {
        SessionRules rules = GAP_30M.withCloseWhen("type = 'logout'");
        try (StreamScenario s = scenario(rules, EmitMode.APPEND, "10 minutes")) {
            Step first = s.send(ev("u1", "10:00"), ev("u1", "10:05"), ev("u2", "10:00"), ev("u2", "10:01", "logout", null, null, null, null));
            assertEquals(4, first.stateRows(), "per key: its sessions list and its events list");
            Step second = s.send(ev("u3", "10:40"));
            assertEquals(List.of("u2 10:00-10:01 last 10:01 n=2 final close_event"), fmt(second.rows()));
            assertEquals(4, second.stateRows(), "u2 left the state, u3 came in");
            Step third = s.send(ev("u3", "10:50"));
            assertEquals(List.of("u1 10:00-10:35 last 10:05 n=2 final gap"), fmt(third.rows()));
            assertEquals(2, third.stateRows(), "only u3's session and events are left");
        }
    }

    @Test
    void stateRowsStayBoundedOverManySessions() {
        try (StreamScenario s = scenario(GAP_30M, EmitMode.APPEND, "10 minutes")) {
            int finals = 0;
            for (int hour = 0; hour < 8; hour++) {
                String t = String.format("%02d:00", 10 + hour);
                Step step = s.send(ev("u1", t), ev("u2", t), ev("u3", t));
                finals += step.rows().size();
                assertEquals(3, step.stateRows(), "one open session per user, whatever the number of past sessions");
            }
            assertEquals(7 * 3, finals);
        }
    }

    @Test
    void restartFromCheckpointKeepsOpenSessionsAndEvents() {
        SessionRules rules = GAP_30M.withCloseWhen("type = 'logout'");
        try (StreamScenario s = scenario(rules, EmitMode.UPDATE, "10 minutes")) {
            s.send(ev("u1", "10:00"), ev("u1", "10:20"));
            s.restart();
            Step afterRestart = s.send(ev("u1", "10:10", "logout", null, null, null, null));
            assertEquals(List.of(
                    "u1 10:00-10:10 last 10:10 n=2 final close_event",
                    "u1 10:20-10:50 last 10:20 n=1 open gap"), fmt(afterRestart.rows()), "watermark 10:10 reached the logout");
            s.restart();
            Step flush = s.send(ev("u2", "11:30"));
            assertEquals(List.of(
                    "u1 10:20-10:50 last 10:20 n=1 final gap",
                    "u2 11:30-12:00 last 11:30 n=1 open gap"), fmt(flush.rows()));
        }
    }

    @Test
    void configurationErrorsAreReportedClearly() {
        Dataset<Row> events = TestSpark.get().readStream().format("rate").load()
                .selectExpr("cast(value as string) as user", "timestamp as ts", "'view' as type", "'/' as page");
        ConfigException noWatermark = assertThrows(ConfigException.class,
                () -> Sessionizer.of(options(GAP_30M, EmitMode.APPEND)).apply(events));
        assertTrue(noWatermark.getMessage().contains("has no watermark"), noWatermark.getMessage());
        Dataset<Row> w = events.withWatermark("ts", "1 minute");
        ConfigException batch = assertThrows(ConfigException.class,
                () -> Sessionizer.of(options(GAP_30M, EmitMode.APPEND)).apply(TestSpark.get().createDataFrame(List.<Row>of(), EVENTS)));
        assertTrue(batch.getMessage().contains("streaming"), batch.getMessage());
        ConfigException badColumn = assertThrows(ConfigException.class,
                () -> Sessionizer.of(SessionOptions.of("nope", EventTime.upstream("ts"))).apply(w));
        assertTrue(badColumn.getMessage().contains("key column 'nope'"), badColumn.getMessage());
        ConfigException badPredicate = assertThrows(ConfigException.class,
                () -> Sessionizer.of(options(GAP_30M.withCloseWhen("kind = 'logout'"), EmitMode.APPEND)).apply(w));
        assertTrue(badPredicate.getMessage().startsWith("sessions: bad close predicate 'kind = 'logout''"), badPredicate.getMessage());
        ConfigException notBoolean = assertThrows(ConfigException.class,
                () -> Sessionizer.of(options(GAP_30M.withCloseWhen("page"), EmitMode.APPEND)).apply(w));
        assertTrue(notBoolean.getMessage().contains("must be a boolean condition"), notBoolean.getMessage());
        assertThrows(ConfigException.class, () -> GAP_30M.withSplitAtMidnight("Mars/Olympus"));
        assertThrows(ConfigException.class, () -> GAP_30M.withGap(Duration.ZERO));
        assertThrows(ConfigException.class, () -> EmitMode.parse("complete"));
    }
}
