package io.streampatterns.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short duration syntax of the CLI: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 4h}, {@code 1d}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses {@code text}; throws {@link ConfigException} naming {@code what} if it is not a duration. */
    public static Duration parse(String text, String what) {
        if (text == null) {
            throw new ConfigException(what + ": a duration is required (e.g. 30s, 10m, 4h)");
        }
        Matcher m = SHORT.matcher(text.trim().toLowerCase());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                default: return Duration.ofDays(n);
            }
        }
        try {
            return Duration.parse(text.trim().toUpperCase());
        } catch (RuntimeException e) {
            throw new ConfigException(what + ": cannot parse duration '" + text + "' (use e.g. 500ms, 30s, 10m, 4h, 1d)");
        }
    }

    /** Parses a duration; {@link ConfigException} unless it is strictly positive. */
    public static Duration parsePositive(String text, String what) {
        Duration d = parse(text, what);
        ConfigException.check(!d.isZero() && !d.isNegative(), what + ": duration must be positive, got '" + text + "'");
        return d;
    }

    /** Spark interval text, e.g. {@code "90000 milliseconds"}, for {@code withWatermark} and {@code window}. */
    public static String toSparkInterval(Duration d) {
        return d.toMillis() + " milliseconds";
    }

    /** Short human form: {@code 90s}, {@code 10m}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms > 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms > 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}
