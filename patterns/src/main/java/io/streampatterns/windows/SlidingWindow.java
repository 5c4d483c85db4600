package io.streampatterns.windows;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * An event-time window of length {@code size} starting every {@code slide}, aligned to the epoch like Spark's
 * {@code window(ts, size, slide)}: windows are {@code [k*slide, k*slide + size)}. Its pane, the greatest common
 * divisor of size and slide, is the largest slice of time that every window is made of whole: an event lands in
 * exactly one pane, and each window is the merge of {@code size / pane} consecutive panes.
 */
public final class SlidingWindow implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long sizeMs;
    private final long slideMs;

    private SlidingWindow(long sizeMs, long slideMs) {
        this.sizeMs = sizeMs;
        this.slideMs = slideMs;
    }

    /** Windows of {@code size} every {@code slide}; both whole milliseconds, {@code 0 < slide <= size}. */
    public static SlidingWindow of(Duration size, Duration slide) {
        long sz = millis(size, "window size");
        long sl = millis(slide, "window slide");
        ConfigException.check(sl <= sz, "window slide (" + Durations.format(slide)
                + ") must not be longer than the window size (" + Durations.format(size) + ")");
        return new SlidingWindow(sz, sl);
    }

    /** Back-to-back windows of {@code size} (slide = size). */
    public static SlidingWindow tumbling(Duration size) {
        return of(size, size);
    }

    /**
     * The window {@code text} names: {@code SIZE} for tumbling windows ({@code 1m}) or {@code SIZE/SLIDE} for sliding
     * ones ({@code 1h/1m}), durations as {@link Durations#parse} reads them; a {@link ConfigException} names
     * {@code what} when it is not one.
     */
    public static SlidingWindow parse(String text, String what) {
        ConfigException.check(text != null && !text.isBlank(), what + ": a window is required (e.g. 1m or 1h/1m)");
        String[] parts = text.split("/", -1);
        ConfigException.check(parts.length <= 2, what + ": cannot parse '" + text + "' as SIZE or SIZE/SLIDE (e.g. 1h/1m)");
        Duration size = Durations.parsePositive(parts[0], what);
        return parts.length == 1 ? tumbling(size) : of(size, Durations.parsePositive(parts[1], what));
    }

    private static long millis(Duration d, String what) {
        ConfigException.check(d != null, what + " is required");
        ConfigException.check(!d.isNegative() && !d.isZero(), what + " must be positive, got " + d);
        ConfigException.check(d.getNano() % 1_000_000 == 0,
                what + " must be a whole number of milliseconds, got " + d);
        return d.toMillis();
    }

    public Duration size() {
        return Duration.ofMillis(sizeMs);
    }

    public Duration slide() {
        return Duration.ofMillis(slideMs);
    }

    /** The pane: gcd(size, slide). */
    public Duration pane() {
        return Duration.ofMillis(paneMs());
    }

    public boolean isTumbling() {
        return sizeMs == slideMs;
    }

    long sizeMs() {
        return sizeMs;
    }

    long slideMs() {
        return slideMs;
    }

    long paneMs() {
        long a = sizeMs;
        long b = slideMs;
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlidingWindow && ((SlidingWindow) o).sizeMs == sizeMs && ((SlidingWindow) o).slideMs == slideMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sizeMs, slideMs);
    }

    @Override
    public String toString() {
        return isTumbling() ? "tumbling " + Durations.format(size())
                : Durations.format(size()) + " every " + Durations.format(slide());
    }
}
