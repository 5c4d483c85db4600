package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import io.streampatterns.windows.SlidingWindow;
import picocli.CommandLine.ITypeConverter;

/**
 * {@code SIZE/SLIDE} options such as {@code 5m/1m}: a sliding window of SIZE starting every SLIDE. The text is read by
 * {@link SlidingWindow#parse}, as pipeline files are; the option insists on the slide (a size alone reads as tumbling
 * there).
 */
public final class SlidingWindowConverter implements ITypeConverter<SlidingWindow> {
    @Override
    public SlidingWindow convert(String value) {
        if (value.split("/", -1).length != 2) {
            throw new OptionValueException("cannot parse '" + value + "' as SIZE/SLIDE (e.g. 5m/1m)");
        }
        try {
            return SlidingWindow.parse(value, "window");
        } catch (ConfigException e) {
            throw new OptionValueException(e.getMessage());
        }
    }
}
