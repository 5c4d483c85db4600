package io.streampatterns.core;

/**
 * A user configuration error (bad option value, missing input, unreachable endpoint).
 * The CLI prints its message on one line and exits with code 2; library code only throws it.
 */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws a {@code ConfigException} with {@code message} unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }
}
