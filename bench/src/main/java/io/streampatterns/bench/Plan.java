package io.streampatterns.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one benchmark entry measures, prepared on its input: the sides (the first is ours, the second the baseline
 * that the ratio divides by, any others are reported beside them), which sides must give the same result (as ours,
 * or as another side when ours runs on other input), a warm-up, and the figures derived from all runs.
 */
public final class Plan {
    private final List<Side> sides;
    private final String reference;
    private final Set<String> mustAgree;
    private final Warmup warmUp;
    private final Function<Map<String, List<Measured>>, Map<String, Object>> figures;
    private final AutoCloseable resources;

    private Plan(List<Side> sides, String reference, Set<String> mustAgree, Warmup warmUp,
                 Function<Map<String, List<Measured>>, Map<String, Object>> figures, AutoCloseable resources) {
        if (sides.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one side");
        }
        Set<String> names = names(sides);
        if (names.size() != sides.size()) {
            throw new IllegalArgumentException("side names must differ: " + sides.stream().map(Side::name).toList());
        }
        if (!names.contains(reference) || !names.containsAll(mustAgree)) {
            throw new IllegalArgumentException("unknown side in " + reference + ", " + mustAgree + " (sides: " + names + ")");
        }
        this.sides = Collections.unmodifiableList(new ArrayList<>(sides));
        this.reference = reference;
        this.mustAgree = Collections.unmodifiableSet(new LinkedHashSet<>(mustAgree));
        this.warmUp = warmUp;
        this.figures = figures;
        this.resources = resources;
    }

    /** Ours against the baseline (and any further sides); every side must agree with ours. */
    public static Plan of(Side ours, Side baseline, Side... others) {
        List<Side> all = new ArrayList<>(List.of(ours, baseline));
        all.addAll(List.of(others));
        return new Plan(all, ours.name(), names(all), () -> { }, runs -> Map.of(), () -> { });
    }

    /** A plan of one side only (a reference figure, no ratio); its repetitions must agree with each other. */
    public static Plan single(Side only) {
        return new Plan(List.of(only), only.name(), Set.of(only.name()), () -> { }, runs -> Map.of(), () -> { });
    }

    /** The same plan where only the named sides (and ours) must agree with ours; the others answer differently by design. */
    public Plan agreeing(String... names) {
        return agreeingWith(sides.get(0).name(), names);
    }

    /**
     * The same plan where only the named sides must give the same result as the side {@code reference}: for entries
     * where ours runs on other input than the sides it is checked against (e.g. the baseline and a run of ours on
     * the baseline's sample).
     */
    public Plan agreeingWith(String reference, String... names) {
        Set<String> s = new LinkedHashSet<>();
        s.add(reference);
        s.addAll(List.of(names));
        return new Plan(sides, reference, s, warmUp, figures, resources);
    }

    /** The same plan with a warm-up run before the measured repetitions (e.g. each side once on a small input). */
    public Plan warmUp(Warmup w) {
        return new Plan(sides, reference, mustAgree, w, figures, resources);
    }

    /** The same plan with entry-specific figures computed from all runs, by side name (keep them in order: a LinkedHashMap). */
    public Plan figures(Function<Map<String, List<Measured>>, Map<String, Object>> f) {
        return new Plan(sides, reference, mustAgree, warmUp, f, resources);
    }

    /** The same plan with resources (a server, a cached input) that live across its runs, closed after the last one. */
    public Plan closing(AutoCloseable r) {
        return new Plan(sides, reference, mustAgree, warmUp, figures, r);
    }

    void close() throws Exception {
        resources.close();
    }

    public List<Side> sides() {
        return sides;
    }

    /** The side whose first run's digest the others must give. */
    String reference() {
        return reference;
    }

    /** The sides that must give the reference's digest in every repetition (the reference included). */
    Set<String> mustAgree() {
        return mustAgree;
    }

    void runWarmUp() throws Exception {
        warmUp.run();
    }

    Map<String, Object> figures(Map<String, List<Measured>> runs) {
        return new LinkedHashMap<>(figures.apply(runs));
    }

    private static Set<String> names(List<Side> sides) {
        Set<String> names = new LinkedHashSet<>();
        sides.forEach(s -> names.add(s.name()));
        return names;
    }

    /** A warm-up. */
    @FunctionalInterface
    public interface Warmup {
        void run() throws Exception;
    }
}
