package io.streampatterns.windows;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.streaming.OutputMode;

import java.util.Locale;

/** When {@link PaneWindowAggregation} emits a window. */
public enum EmitMode {
    /** Once, final, in the micro-batch where the watermark passes the window's end. */
    APPEND,
    /** Every micro-batch in which the window changed, with its current value (upsert by key and window). */
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
