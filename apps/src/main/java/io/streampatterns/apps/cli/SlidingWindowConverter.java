package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import io.streampatterns.windows.SlidingWindow;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** {@code SIZE/SLIDE} options such as {@code 5m/1m}: a sliding window of SIZE starting every SLIDE. */
public final class SlidingWindowConverter implements ITypeConverter<SlidingWindow> {
    private static final DurationConverter.Positive DURATION = new DurationConverter.Positive();

    @Override
    public SlidingWindow convert(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length != 2) {
            throw new OptionValueException("cannot parse '" + value + "' as SIZE/SLIDE (e.g. 5m/1m)");
        }
        Duration size = DURATION.convert(parts[0]);
        Duration slide = DURATION.convert(parts[1]);
        try {
            return SlidingWindow.of(size, slide);
        } catch (ConfigException e) {
            throw new OptionValueException(e.getMessage());
        }
    }
}
