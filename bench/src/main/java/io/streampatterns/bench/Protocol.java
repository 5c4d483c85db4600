package io.streampatterns.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one protocol of every entry: a warm-up, then {@code repeat} repetitions in which every side runs once, in an
 * order that rotates from one repetition to the next (so no side always runs first, on a cold JVM or right after a
 * heavy run); the figures are medians with min-max, the ratio is taken per repetition (ours / baseline of the same
 * repetition) and then its median; the sides' results are compared by content (their digests).
 */
public final class Protocol {
    private Protocol() {
    }

    /** Runs {@code plan} and summarizes it as the result of the entry {@code name}. */
    public static BenchResult run(String name, Plan plan, int repeat) throws Exception {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be >= 1, got " + repeat);
        }
        List<Side> sides = plan.sides();
        Map<String, List<Measured>> runs = new LinkedHashMap<>();
        sides.forEach(s -> runs.put(s.name(), new ArrayList<>()));
        try {
            plan.runWarmUp();
            for (int rep = 0; rep < repeat; rep++) {
                for (int i = 0; i < sides.size(); i++) {
                    Side side = sides.get((i + rep) % sides.size());
                    runs.get(side.name()).add(side.run(rep));
                }
            }
        } finally {
            plan.close();
        }
        return summarize(name, plan, runs);
    }

    static BenchResult summarize(String name, Plan plan, Map<String, List<Measured>> runs) {
        List<Side> sides = plan.sides();
        List<Measured> ours = runs.get(sides.get(0).name());
        BenchResult r = BenchResult.of(name, ours.size(), agree(plan, runs));
        for (Side s : sides) {
            r = r.withSide(s.name(), SideFigures.of(runs.get(s.name())));
        }
        if (sides.size() > 1) {
            r = r.withRatios(ratios(ours, runs.get(sides.get(1).name())));
        }
        for (Map.Entry<String, Object> e : plan.figures(runs).entrySet()) {
            r = r.with(e.getKey(), e.getValue());
        }
        return r;
    }

    /** The ratios of {@code a}'s rate to {@code b}'s, repetition by repetition (NaN where {@code b} has none). */
    public static List<Double> ratios(List<Measured> a, List<Measured> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("ratios of " + a.size() + " runs to " + b.size());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(b.get(i).eps() == 0 ? Double.NaN : a.get(i).eps() / b.get(i).eps());
        }
        return ratios;
    }

    /** The median of the per-repetition ratios of {@code a}'s rate to {@code b}'s, rounded to 3 places: for entry figures. */
    public static double medianRatio(List<Measured> a, List<Measured> b) {
        double m = SideFigures.median(ratios(a, b));
        return Double.isNaN(m) ? m : SideFigures.round(m);
    }

    /** The median rate of {@code runs} (events/s, or per unit of cost). */
    public static double medianEps(List<Measured> runs) {
        List<Double> eps = new ArrayList<>();
        runs.forEach(m -> eps.add(m.eps()));
        return SideFigures.median(eps);
    }

    /** True when every repetition of every side that must agree gave the reference's digest (null: no side has a digest). */
    private static Boolean agree(Plan plan, Map<String, List<Measured>> runs) {
        String reference = runs.get(plan.reference()).get(0).digest();
        boolean any = false;
        for (String name : plan.mustAgree()) {
            for (Measured m : runs.get(name)) {
                any |= m.digest() != null;
                if (!Objects.equals(m.digest(), reference)) {
                    return false;
                }
            }
        }
        return any ? Boolean.TRUE : null;
    }
}
