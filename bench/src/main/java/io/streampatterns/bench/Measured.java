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
    private final double units;
    private final String digest;
    private final Map<String, Object> figures;

    private Measured(long events, double seconds, double cpuSeconds, double units, String digest, Map<String, Object> figures) {
        this.events = events;
        this.seconds = seconds;
        this.cpuSeconds = cpuSeconds;
        this.units = units;
        this.digest = digest;
        this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Runs {@code work} and measures it: {@code events} events in the wall-clock and CPU time it took. */
    public static Measured of(long events, Callable<?> work) throws Exception {
        Stopwatch s = new Stopwatch();
        s.time(work);
        return s.measured(events);
    }

    /** The same run with the digest of its result (what the sides of an entry must agree on). */
    public Measured digest(String d) {
        return new Measured(events, seconds, cpuSeconds, units, d, figures);
    }

    /** The same run with one more figure. */
    public Measured with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(figures);
        m.put(key, value);
        return new Measured(events, seconds, cpuSeconds, units, digest, m);
    }

    /**
     * The same run with its rate taken per {@code units} of a cost other than time (e.g. database queries): then
     * {@link #eps()} is events per unit, for entries whose figure is not a speed; seconds stay what they were.
     */
    public Measured per(double units) {
        return new Measured(events, seconds, cpuSeconds, units, digest, figures);
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

    /** Events per second, or per unit of cost (see {@link #per}). */
    public double eps() {
        double d = Double.isNaN(units) ? seconds : units;
        return d <= 0 ? 0 : events / d;
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

    /**
     * Wall-clock and CPU time added up over the timed parts of one run, for a side whose run also does work that is
     * not its own (loading a dimension, an upstream job's refresh between micro-batches): only what runs inside
     * {@link #time} counts.
     */
    public static final class Stopwatch {
        private long wallNanos;
        private long cpuNanos;

        /** Runs {@code work}, adds its time, and returns its value. */
        public <T> T time(Callable<T> work) throws Exception {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            try {
                return work.call();
            } finally {
                wallNanos += System.nanoTime() - t0;
                cpuNanos += processCpuNanos() - cpu0;
            }
        }

        /** {@code events} events in the time added up so far. */
        public Measured measured(long events) {
            return new Measured(events, wallNanos / 1e9, cpuNanos / 1e9, Double.NaN, null, Map.of());
        }
    }
}
