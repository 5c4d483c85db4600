package io.streampatterns.core;

import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.alerts.AlertOptions;
import io.streampatterns.alerts.AlertRules;
import io.streampatterns.alerts.Alerting;
import io.streampatterns.dedup.Dedup;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.joins.StreamStreamJoin;
import io.streampatterns.joins.TemporalJoin;
import io.streampatterns.joins.TimeRange;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.Sessionizer;
import io.streampatterns.testkit.TestSpark;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.jdk.javaapi.CollectionConverters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one watermark rule ({@link EventTime}) holds for every stateful step, checked on the analysed plans (no
 * query runs): a step sets the watermark with its lateness when its input has none on the column, uses the input's
 * when it has one, and refuses a stream with neither, naming itself.
 */
class EventTimeRuleTest {
    static final Duration LATENESS = Duration.ofMinutes(10);

    /** A stateful step built for an event time, and the name it must report. */
    record Case(String name, Function<EventTime, Step> step) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> statefulSteps() {
        return Stream.of(
                new Case("dedup", t -> Dedup.of(Dedup.Options.of("id", t))),
                new Case("sessions", t -> Sessionizer.of(SessionOptions.of("id", t))),
                new Case("pane_windows", t -> PaneWindowAggregation.of(PaneWindowOptions.of(SlidingWindow.tumbling(
                        Duration.ofMinutes(1))).keyedBy("id").eventTime(t).aggregates(Aggregates.count()))),
                new Case("global_stats", t -> GlobalStats.of(GlobalStats.Options.of("id", t))),
                new Case("alerts", t -> Alerting.of(AlertOptions.of(List.of("id"), t, Duration.ofMinutes(1),
                        AlertRules.parse("rules:\n  - {name: quiet, when: n = 0}\n", "test")))),
                new Case("temporal_join", t -> TemporalJoin.of(events(), TemporalJoin.Options.of("id", t, t))),
                new Case("stream_join", t -> StreamStreamJoin.of(events(), StreamStreamJoin.Options.of("id", t, t,
                        TimeRange.of(Duration.ZERO, Duration.ofMinutes(1))))));
    }

    /** A stream without a watermark: {@code id, ts, n}. */
    static Dataset<Row> events() {
        return TestSpark.get().readStream().format("rate").load()
                .selectExpr("cast(value % 10 as string) as id", "timestamp as ts", "value as n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulSteps")
    void stepSetsTheWatermarkWhenItsInputHasNone(Case c) {
        Step step = c.step().apply(EventTime.of("ts", LATENESS));
        assertEquals(c.name(), step.name());
        // the two-input joins set one on each side
        List<Long> expected = c.name().endsWith("_join") ? List.of(LATENESS.toMillis(), LATENESS.toMillis())
                : List.of(LATENESS.toMillis());
        assertEquals(expected, watermarkDelaysMs(step.apply(events())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulSteps")
    void stepUsesTheWatermarkItsInputCarries(Case c) {
        Dataset<Row> watermarked = events().withWatermark("ts", "1 minute");
        List<Long> delays = watermarkDelaysMs(c.step().apply(EventTime.of("ts", LATENESS)).apply(watermarked));
        // the two-input joins add their own other side's watermark
        long ours = delays.stream().filter(d -> d == 60_000L).count();
        assertEquals(1, ours, "the input's watermark, once: " + delays);
        assertEquals(c.name().endsWith("_join") ? 1 : 0, delays.size() - ours, "no second watermark on the input: " + delays);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulSteps")
    void streamWithoutWatermarkOrLatenessIsAConfigErrorNamingTheStep(Case c) {
        Step step = c.step().apply(EventTime.upstream("ts"));
        ConfigException e = assertThrows(ConfigException.class, () -> step.apply(events()));
        assertTrue(e.getMessage().startsWith(c.name() + ": event-time column 'ts' has no watermark"), e.getMessage());
    }

    /**
     * The delays (ms) of the watermark operators in the analysed plan of {@code ds}, each operator once (a plan may
     * hold the same input twice, as the temporal join does): told apart by the attribute each one marks.
     */
    static List<Long> watermarkDelaysMs(Dataset<Row> ds) {
        Map<Long, Long> delays = new TreeMap<>();
        collect(ds.queryExecution().analyzed(), delays);
        return new ArrayList<>(delays.values());
    }

    private static void collect(LogicalPlan plan, Map<Long, Long> delays) {
        if (plan instanceof EventTimeWatermark w) {
            delays.put(w.eventTime().exprId().id(), w.delay().microseconds / 1000 + w.delay().days * 86_400_000L);
        }
        CollectionConverters.asJava(plan.children()).forEach(child -> collect(child, delays));
    }
}
