package io.streampatterns.bench;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One run of one side of a benchmark: events processed, wall-clock seconds, CPU seconds of this process (driver and
 * executors alike in local mode: JIT and GC included, as a user's job pays them), a digest of the result's content,
 * and figures of the side's own (state rows, windows...).
 */
public final class Measured {
    private final long events;
    private final double seconds;
    private final double cpuSeconds;
    private final String digest;
    private final Map<String, Object> figures;

    private Measured(long events, double seconds, double cpuSeconds, String digest, Map<String, Object> figures) {
        this.events = events;
        this.seconds = seconds;
        this.cpuSeconds = cpuSeconds;
        this.digest = digest;
        this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Runs {@code work} and measures it: {@code events} events in the wall-clock and CPU time it took. */
    public static Measured of(long events, Callable<?> work) throws Exception {
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        work.call();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Measured(events, seconds, (processCpuNanos() - cpu0) / 1e9, null, Map.of());
    }

    /** The same run with the digest of its result (what the sides of an entry must agree on). */
    public Measured digest(String d) {
        return new Measured(events, seconds, cpuSeconds, d, figures);
    }

    /** The same run with one more figure. */
    public Measured with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(figures);
        m.put(key, value);
        return new Measured(events, seconds, cpuSeconds, digest, m);
    }

    public long events() {
        return events;
    }

    public double seconds() {
        return seconds;
    }

    public double cpuSeconds() {
        return cpuSeconds;
    }

    public double eps() {
        return seconds <= 0 ? 0 : events / seconds;
    }

    public String digest() {
        return digest;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return 0;
    }
}
