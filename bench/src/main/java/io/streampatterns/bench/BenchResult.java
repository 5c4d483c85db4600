package io.streampatterns.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Figures of one benchmark: events/s of ours and of the baseline, whether the results agree, and extra figures. */
public final class BenchResult {
    private final String name;
    private final double oursEps;
    private final double baselineEps;
    private final boolean agree;
    private final Map<String, Object> extra;

    private BenchResult(String name, double oursEps, double baselineEps, boolean agree, Map<String, Object> extra) {
        this.name = name;
        this.oursEps = oursEps;
        this.baselineEps = baselineEps;
        this.agree = agree;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static BenchResult of(String name, double oursEps, double baselineEps, boolean agree) {
        return new BenchResult(name, oursEps, baselineEps, agree, Map.of());
    }

    /** The same result with one more figure (kept in insertion order). */
    public BenchResult with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put(key, value);
        return new BenchResult(name, oursEps, baselineEps, agree, m);
    }

    public String name() {
        return name;
    }

    public double oursEps() {
        return oursEps;
    }

    public double baselineEps() {
        return baselineEps;
    }

    public double ratio() {
        return baselineEps == 0 ? Double.NaN : oursEps / baselineEps;
    }

    public boolean agree() {
        return agree;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    /** The JSON object of this result: name, ours_eps, baseline_eps, ratio, agree, then the extra figures. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("ours_eps", Math.round(oursEps));
        m.put("baseline_eps", Math.round(baselineEps));
        m.put("ratio", Math.round(ratio() * 1000) / 1000.0);
        m.put("agree", agree);
        m.putAll(extra);
        return m;
    }
}
