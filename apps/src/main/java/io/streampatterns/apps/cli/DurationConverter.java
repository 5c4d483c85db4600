package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/**
 * Duration options ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 4h}, {@code 1d}, or ISO-8601 {@code PT30S}), zero
 * or more. A value that does not parse is a usage error: {@link Cli} prints
 * {@code --gap: cannot parse 'x' as a duration (e.g. 30s, 5m, 1h)} and exits with code 2.
 */
public class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = Durations.parse(value, "duration");
        } catch (ConfigException e) {
            throw new OptionValueException("cannot parse '" + value + "' as a duration (e.g. 30s, 5m, 1h)");
        }
        if (d.isNegative()) {
            throw new OptionValueException("duration must not be negative, got '" + value + "'");
        }
        return d;
    }

    /** Durations that must be strictly positive (gaps, windows, TTLs). */
    public static final class Positive extends DurationConverter {
        @Override
        public Duration convert(String value) {
            Duration d = super.convert(value);
            if (d.isZero()) {
                throw new OptionValueException("duration must be positive, got '" + value + "'");
            }
            return d;
        }
    }
}
