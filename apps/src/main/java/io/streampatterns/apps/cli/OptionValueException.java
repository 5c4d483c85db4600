package io.streampatterns.apps.cli;

import picocli.CommandLine.TypeConversionException;

/**
 * Thrown by this project's picocli converters: a value that does not convert, described without the option's name,
 * which {@link Cli} puts in front ({@code --gap: cannot parse 'x' as a duration (e.g. 30s, 5m, 1h)}).
 */
public final class OptionValueException extends TypeConversionException {
    private static final long serialVersionUID = 1L;

    public OptionValueException(String message) {
        super(message);
    }
}
