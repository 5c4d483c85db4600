package io.streampatterns.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one side over its repetitions: median and min-max of events/s, seconds and CPU seconds, and the
 * side's own figures of its last repetition.
 */
public final class SideFigures {
    private final long events;
    private final List<Double> eps;
    private final List<Double> seconds;
    private final List<Double> cpu;
    private final Map<String, Object> lastFigures;

    private SideFigures(long events, List<Double> eps, List<Double> seconds, List<Double> cpu, Map<String, Object> lastFigures) {
        this.events = events;
        this.eps = eps;
        this.seconds = seconds;
        this.cpu = cpu;
        this.lastFigures = lastFigures;
    }

    static SideFigures of(List<Measured> runs) {
        List<Double> eps = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        runs.forEach(m -> {
            eps.add(m.eps());
            seconds.add(m.seconds());
            cpu.add(m.cpuSeconds());
        });
        Measured last = runs.get(runs.size() - 1);
        return new SideFigures(last.events(), eps, seconds, cpu, last.figures());
    }

    public double medianEps() {
        return median(eps);
    }

    public double medianCpuSeconds() {
        return median(cpu);
    }

    public double medianSeconds() {
        return median(seconds);
    }

    public long events() {
        return events;
    }

    /** The side's own figures (state rows, windows...) of its last repetition. */
    public Map<String, Object> figures() {
        return lastFigures;
    }

    /** JSON: events, eps_median/min/max, seconds_median, cpu_s_median/min/max, then the side's own figures. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("eps_median", Math.round(median(eps)));
        m.put("eps_min", Math.round(Collections.min(eps)));
        m.put("eps_max", Math.round(Collections.max(eps)));
        m.put("seconds_median", round(median(seconds)));
        m.put("cpu_s_median", round(median(cpu)));
        m.put("cpu_s_min", round(Collections.min(cpu)));
        m.put("cpu_s_max", round(Collections.max(cpu)));
        m.put("runs", eps.size());
        m.putAll(lastFigures);
        return m;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.removeIf(d -> d.isNaN());
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
