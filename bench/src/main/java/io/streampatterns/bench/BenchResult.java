package io.streampatterns.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one benchmark entry: per side the figures of its repetitions, the ratio ours / baseline (median and
 * min-max of the per-repetition ratios), whether the sides' results agree by content, the entry's own figures, or the
 * error that stopped it.
 */
public final class BenchResult {
    private final String name;
    private final int repeat;
    private final Boolean agree;
    private final Map<String, SideFigures> sides;
    private final List<Double> ratios;
    private final Map<String, Object> extra;
    private final String error;

    private BenchResult(String name, int repeat, Boolean agree, Map<String, SideFigures> sides, List<Double> ratios,
                        Map<String, Object> extra, String error) {
        this.name = name;
        this.repeat = repeat;
        this.agree = agree;
        this.sides = Collections.unmodifiableMap(new LinkedHashMap<>(sides));
        this.ratios = ratios;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        this.error = error;
    }

    static BenchResult of(String name, int repeat, Boolean agree) {
        return new BenchResult(name, repeat, agree, Map.of(), List.of(), Map.of(), null);
    }

    /** The result of an entry that failed: its error, no figures. */
    public static BenchResult failed(String name, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage()).split("\\R")[0];
        return new BenchResult(name, 0, null, Map.of(), List.of(), Map.of(), message);
    }

    BenchResult withSide(String side, SideFigures figures) {
        Map<String, SideFigures> m = new LinkedHashMap<>(sides);
        m.put(side, figures);
        return new BenchResult(name, repeat, agree, m, ratios, extra, error);
    }

    BenchResult withRatios(List<Double> r) {
        return new BenchResult(name, repeat, agree, sides, List.copyOf(r), extra, error);
    }

    /** The same result with one more figure (kept in insertion order). */
    public BenchResult with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put(key, value);
        return new BenchResult(name, repeat, agree, sides, ratios, m, error);
    }

    public String name() {
        return name;
    }

    public boolean failed() {
        return error != null;
    }

    public String error() {
        return error;
    }

    /** The figures of the side named {@code side}, or null. */
    public SideFigures side(String side) {
        return sides.get(side);
    }

    /** Names of the sides, ours first, then the baseline. */
    public List<String> sideNames() {
        return List.copyOf(sides.keySet());
    }

    public double oursEps() {
        return sides.isEmpty() ? Double.NaN : sides.values().iterator().next().medianEps();
    }

    public double baselineEps() {
        return sides.size() < 2 ? Double.NaN : sides.get(sideNames().get(1)).medianEps();
    }

    /** Median of the per-repetition ratios ours / baseline. */
    public double ratio() {
        return SideFigures.median(ratios);
    }

    public double ratioMin() {
        return ratios.stream().filter(d -> !d.isNaN()).min(Double::compare).orElse(Double.NaN);
    }

    public double ratioMax() {
        return ratios.stream().filter(d -> !d.isNaN()).max(Double::compare).orElse(Double.NaN);
    }

    /** Whether ours and the sides that must agree gave the same results; null when not comparable. */
    public Boolean agree() {
        return agree;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    /**
     * The JSON object: name, ours_eps, baseline_eps, ratio (medians), ratio_min, ratio_max, agree, repeat, sides (per
     * side: events, eps and CPU medians with min-max), then the entry's figures; or name and error.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (error != null) {
            m.put("error", error);
            return m;
        }
        m.put("ours_eps", round0(oursEps()));
        m.put("baseline_eps", round0(baselineEps()));
        m.put("ratio", round3(ratio()));
        m.put("ratio_min", round3(ratioMin()));
        m.put("ratio_max", round3(ratioMax()));
        m.put("agree", agree);
        m.put("repeat", repeat);
        Map<String, Object> s = new LinkedHashMap<>();
        sides.forEach((k, v) -> s.put(k, v.toJson()));
        m.put("sides", s);
        m.putAll(extra);
        return m;
    }

    private static Object round0(double d) {
        return Double.isNaN(d) ? null : Math.round(d);
    }

    private static Object round3(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 1000) / 1000.0;
    }
}
