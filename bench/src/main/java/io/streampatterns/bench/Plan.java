package io.streampatterns.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one benchmark entry measures, prepared on its input: the sides (the first is ours, the second the baseline
 * that the ratio divides by, any others are reported beside them), which sides must give the same result as ours, a
 * warm-up, and the figures derived from all runs.
 */
public final class Plan {
    private final List<Side> sides;
    private final Set<String> mustAgree;
    private final Warmup warmUp;
    private final Function<Map<String, List<Measured>>, Map<String, Object>> figures;

    private Plan(List<Side> sides, Set<String> mustAgree, Warmup warmUp,
                 Function<Map<String, List<Measured>>, Map<String, Object>> figures) {
        if (sides.size() < 1) {
            throw new IllegalArgumentException("a plan needs at least one side");
        }
        this.sides = Collections.unmodifiableList(new ArrayList<>(sides));
        this.mustAgree = mustAgree;
        this.warmUp = warmUp;
        this.figures = figures;
    }

    /** Ours against the baseline (and any further sides); every side must agree with ours. */
    public static Plan of(Side ours, Side baseline, Side... others) {
        List<Side> all = new ArrayList<>(List.of(ours, baseline));
        all.addAll(List.of(others));
        Set<String> names = new java.util.LinkedHashSet<>();
        all.forEach(s -> names.add(s.name()));
        return new Plan(all, names, () -> { }, runs -> Map.of());
    }

    /** A plan of one side only (a reference figure, no ratio). */
    public static Plan single(Side only) {
        return new Plan(List.of(only), Set.of(only.name()), () -> { }, runs -> Map.of());
    }

    /** The same plan where only the named sides (and ours) must agree with ours; the others answer differently by design. */
    public Plan agreeing(String... names) {
        Set<String> s = new java.util.LinkedHashSet<>(List.of(names));
        s.add(sides.get(0).name());
        return new Plan(sides, s, warmUp, figures);
    }

    /** The same plan with a warm-up run before the measured repetitions (e.g. each side once on a small input). */
    public Plan warmUp(Warmup w) {
        return new Plan(sides, mustAgree, w, figures);
    }

    /** The same plan with entry-specific figures computed from all runs, by side name. */
    public Plan figures(Function<Map<String, List<Measured>>, Map<String, Object>> f) {
        return new Plan(sides, mustAgree, warmUp, f);
    }

    public List<Side> sides() {
        return sides;
    }

    Set<String> mustAgree() {
        return mustAgree;
    }

    void runWarmUp() throws Exception {
        warmUp.run();
    }

    Map<String, Object> figures(Map<String, List<Measured>> runs) {
        return new LinkedHashMap<>(figures.apply(runs));
    }

    /** A warm-up. */
    @FunctionalInterface
    public interface Warmup {
        void run() throws Exception;
    }
}
