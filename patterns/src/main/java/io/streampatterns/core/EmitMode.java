package io.streampatterns.core;

import org.apache.spark.sql.streaming.OutputMode;

import java.util.Locale;

/**
 * How a step's output rows are written: the one emit-mode type of the windows, the sessionizer, the global
 * statistics and the alerts ({@link Step#emitMode()}).
 */
public enum EmitMode {
    /** Each row once, final (a window once the watermark passes its end, a session once it ended, an alert event). */
    APPEND,
    /** A row every micro-batch in which its value changed (open windows and sessions, running totals): upsert by its key. */
    UPDATE;

    /** {@code append} or {@code update}, any case; {@link ConfigException} otherwise. */
    public static EmitMode parse(String text) {
        if (text != null) {
            for (EmitMode m : values()) {
                if (m.name().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
        }
        throw new ConfigException("mode: expected append or update, got '" + text + "'");
    }

    /** The streaming output mode a query writing these rows uses. */
    public OutputMode outputMode() {
        return this == APPEND ? OutputMode.Append() : OutputMode.Update();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
