package io.streampatterns.apps.generate;

/**
 * A deterministic synthetic data set: the same options (seed included) and the same {@code n} always give the
 * same lines in the same order.
 */
public interface Generator {
    /** Writes exactly {@code n} events to {@code out} (side streams, if any, are not counted). */
    void write(Sink out, long n);
}
