package io.streampatterns.bench;

import java.util.concurrent.Callable;

/** Wall-clock timing of one run. */
public final class Timing {
    private Timing() {
    }

    /** Seconds {@code work} took. */
    public static double seconds(Callable<?> work) throws Exception {
        long t0 = System.nanoTime();
        work.call();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Events per second for {@code events} processed in {@code seconds}. */
    public static double eps(long events, double seconds) {
        return seconds <= 0 ? 0 : events / seconds;
    }
}
