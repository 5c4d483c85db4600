package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A closed range of time offsets {@code [lower, upper]} relative to an event, e.g. {@code -5s,10s}: "from five
 * seconds before to ten seconds after". Either bound may be negative; {@code lower <= upper}.
 */
public final class TimeRange implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Duration lower;
    private final Duration upper;

    private TimeRange(Duration lower, Duration upper) {
        this.lower = lower;
        this.upper = upper;
    }

    public static TimeRange of(Duration lower, Duration upper) {
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
        ConfigException.check(lower.compareTo(upper) <= 0,
                "time range: lower bound " + format(lower) + " is after upper bound " + format(upper));
        return new TimeRange(lower, upper);
    }

    /** Parses {@code LOWER,UPPER}, each a duration with an optional sign: {@code -5s,10s}, {@code 0s,1h}. */
    public static TimeRange parse(String text, String what) {
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        ConfigException.check(parts.length == 2,
                what + ": expected LOWER,UPPER (e.g. -5s,10s), got '" + text + "'");
        return of(signed(parts[0], what), signed(parts[1], what));
    }

    public Duration lower() {
        return lower;
    }

    public Duration upper() {
        return upper;
    }

    @Override
    public String toString() {
        return format(lower) + "," + format(upper);
    }

    private static Duration signed(String text, String what) {
        String t = text.trim();
        if (t.startsWith("-")) {
            return Durations.parse(t.substring(1), what).negated();
        }
        return Durations.parse(t.startsWith("+") ? t.substring(1) : t, what);
    }

    private static String format(Duration d) {
        return d.isNegative() ? "-" + Durations.format(d.negated()) : Durations.format(d);
    }
}
