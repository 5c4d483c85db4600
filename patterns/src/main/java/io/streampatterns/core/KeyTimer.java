package io.streampatterns.core;

import org.apache.spark.sql.streaming.StatefulProcessorHandle;

/**
 * The one event-time timer a stateful processor keeps per key (a transformWithState key may hold any number):
 * moving it deletes the registered one and registers the new one, and does nothing when it does not change.
 */
public final class KeyTimer {
    /** No timer. */
    public static final long NONE = Long.MIN_VALUE;

    private KeyTimer() {
    }

    /** Moves the current key's timer from {@code registered} to {@code next} (either may be {@link #NONE}); returns {@code next}. */
    public static long move(StatefulProcessorHandle handle, long registered, long next) {
        if (next != registered) {
            if (registered != NONE) {
                handle.deleteTimer(registered);
            }
            if (next != NONE) {
                handle.registerTimer(next);
            }
        }
        return next;
    }
}
