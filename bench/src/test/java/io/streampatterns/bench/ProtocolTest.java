package io.streampatterns.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol on fake sides, without Spark: each fake run's rate is set exactly (events per unit, {@link Measured#per}),
 * so medians, ratios and agreement are known in advance.
 */
class ProtocolTest {
    @TempDir
    Path dir;

    /** A side whose repetition {@code rep} processes 100 events at rate {@code eps[rep]} and gives {@code digests[rep]}. */
    private static Side fake(String name, List<String> calls, double[] eps, String... digests) {
        return Side.of(name, rep -> {
            calls.add(name + rep);
            Measured m = Measured.of(100, () -> null).per(100 / eps[rep]).with("rep", rep);
            return digests.length == 0 ? m : m.digest(digests[rep]);
        });
    }

    @Test
    void warmUpRunsFirstThenEverySideOncePerRepetitionInRotatingOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        double[] eps = {1, 1, 1};
        Plan plan = Plan.of(fake("a", calls, eps), fake("b", calls, eps), fake("c", calls, eps))
                .warmUp(() -> calls.add("warm-up"));
        Protocol.run("x", plan, 3);
        assertEquals(List.of("warm-up", "a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2"), calls);
    }

    @Test
    void ratioIsTheMedianOfPerRepetitionRatiosNotTheRatioOfMedians() throws Exception {
        List<String> calls = new ArrayList<>();
        BenchResult r = Protocol.run("x", Plan.of(fake("ours", calls, new double[] {10, 30, 20}),
                fake("base", calls, new double[] {5, 6, 20})), 3);
        assertEquals(20, r.oursEps(), 1e-9);
        assertEquals(6, r.baselineEps(), 1e-9);
        assertEquals(2, r.ratio(), 1e-9);     // per repetition: 2, 5, 1
        assertEquals(1, r.ratioMin(), 1e-9);
        assertEquals(5, r.ratioMax(), 1e-9);
        assertEquals(2, r.side("ours").figures().get("rep"), "side figures of the last repetition (0, 1, 2)");
    }

    @Test
    void evenNumberOfRepetitionsTakesTheMeanOfTheMiddleTwo() throws Exception {
        List<String> calls = new ArrayList<>();
        BenchResult r = Protocol.run("x", Plan.of(fake("ours", calls, new double[] {10, 20}),
                fake("base", calls, new double[] {10, 10})), 2);
        assertEquals(15, r.oursEps(), 1e-9);
        assertEquals(1.5, r.ratio(), 1e-9);
    }

    @Test
    void sidesAgreeOnlyWhenEveryRepetitionOfEverySideThatMustAgreeGivesOursDigest() throws Exception {
        List<String> calls = new ArrayList<>();
        double[] eps = {1, 1};
        Side ours = fake("ours", calls, eps, "d", "d");
        assertEquals(Boolean.TRUE, Protocol.run("x", Plan.of(ours, fake("b", calls, eps, "d", "d")), 2).agree());
        assertEquals(Boolean.FALSE, Protocol.run("x", Plan.of(ours, fake("b", calls, eps, "d", "other")), 2).agree());
        assertEquals(Boolean.FALSE, Protocol.run("x", Plan.of(ours, fake("b", calls, eps)), 2).agree(),
                "a side that must agree but has no digest");
        Plan third = Plan.of(ours, fake("b", calls, eps, "d", "d"), fake("c", calls, eps, "e", "f")).agreeing("b");
        assertEquals(Boolean.TRUE, Protocol.run("x", third, 2).agree(), "c answers differently by design");
    }

    @Test
    void agreementIsNullWhenNoSideHasADigest() throws Exception {
        List<String> calls = new ArrayList<>();
        double[] eps = {1};
        assertNull(Protocol.run("x", Plan.of(fake("ours", calls, eps), fake("b", calls, eps)).agreeing(), 1).agree());
    }

    @Test
    void sidesOnASampleAgreeWithEachOtherNotWithOurs() throws Exception {
        List<String> calls = new ArrayList<>();
        double[] eps = {1};
        Side ours = fake("ours", calls, eps, "full");
        Plan plan = Plan.of(ours, fake("native", calls, eps, "sample"), fake("ours_sample", calls, eps, "sample"));
        assertEquals(Boolean.FALSE, Protocol.run("x", plan, 1).agree());
        assertEquals(Boolean.TRUE, Protocol.run("x", plan.agreeingWith("native", "ours_sample"), 1).agree());
        Plan wrong = Plan.of(ours, fake("native", calls, eps, "sample"), fake("ours_sample", calls, eps, "other"));
        assertEquals(Boolean.FALSE, Protocol.run("x", wrong.agreeingWith("native", "ours_sample"), 1).agree());
    }

    @Test
    void singleSideHasNoRatioAndAgreesWithItself() throws Exception {
        List<String> calls = new ArrayList<>();
        BenchResult r = Protocol.run("x", Plan.single(fake("only", calls, new double[] {4, 8}, "d", "d")), 2);
        assertEquals(6, r.oursEps(), 1e-9);
        assertTrue(Double.isNaN(r.ratio()));
        Map<String, Object> json = r.toJson();
        assertNull(json.get("baseline_eps"));
        assertNull(json.get("ratio"));
        assertEquals(Boolean.TRUE, json.get("agree"));
    }

    @Test
    void plansRejectUnknownOrRepeatedSideNamesAndProtocolRejectsNoRepetition() {
        List<String> calls = new ArrayList<>();
        double[] eps = {1};
        Plan plan = Plan.of(fake("ours", calls, eps), fake("b", calls, eps));
        assertThrows(IllegalArgumentException.class, () -> plan.agreeing("typo"));
        assertThrows(IllegalArgumentException.class, () -> plan.agreeingWith("typo", "b"));
        assertThrows(IllegalArgumentException.class, () -> Plan.of(fake("a", calls, eps), fake("a", calls, eps)));
        assertThrows(IllegalArgumentException.class, () -> Protocol.run("x", plan, 0));
    }

    @Test
    void jsonHasTheProtocolFiguresThenSidesThenEntryFigures() throws Exception {
        List<String> calls = new ArrayList<>();
        Plan plan = Plan.of(fake("ours", calls, new double[] {10, 30, 20}, "d", "d", "d"),
                fake("base", calls, new double[] {5, 6, 20}, "d", "d", "d"))
                .figures(runs -> Map.of("note_answer", 42));
        Map<String, Object> json = Protocol.run("entry", plan, 3).toJson();
        assertEquals(List.of("name", "ours_eps", "baseline_eps", "ratio", "ratio_min", "ratio_max", "agree", "repeat", "sides",
                "note_answer"), new ArrayList<>(json.keySet()));
        assertEquals("entry", json.get("name"));
        assertEquals(20L, json.get("ours_eps"));
        assertEquals(6L, json.get("baseline_eps"));
        assertEquals(2.0, json.get("ratio"));
        assertEquals(1.0, json.get("ratio_min"));
        assertEquals(5.0, json.get("ratio_max"));
        assertEquals(Boolean.TRUE, json.get("agree"));
        assertEquals(3, json.get("repeat"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> sides = (Map<String, Map<String, Object>>) json.get("sides");
        assertEquals(List.of("ours", "base"), new ArrayList<>(sides.keySet()));
        Map<String, Object> base = sides.get("base");
        assertEquals(100L, base.get("events"));
        assertEquals(6L, base.get("eps_median"));
        assertEquals(5L, base.get("eps_min"));
        assertEquals(20L, base.get("eps_max"));
        assertEquals(3, base.get("runs"));
        assertEquals(2, base.get("rep"));
        assertTrue(base.containsKey("cpu_s_median") && base.containsKey("seconds_median"), base.toString());
    }

    @Test
    void aFailingEntryIsRecordedWithItsErrorAndNoFigures() {
        Benchmark failing = new Benchmark() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String description() {
                return "fails in its second repetition";
            }

            @Override
            public Plan plan(BenchContext ctx) {
                return Plan.single(Side.of("ours", rep -> {
                    if (rep == 1) {
                        throw new IllegalStateException("boom\nsecond line");
                    }
                    return Measured.of(1, () -> null);
                }));
            }
        };
        BenchResult r = new BenchCommand().runOne(null, failing, dir, 2);
        assertTrue(r.failed());
        assertEquals("IllegalStateException: boom", r.error());
        assertEquals(Map.of("name", "broken", "error", "IllegalStateException: boom"), r.toJson());
    }
}
