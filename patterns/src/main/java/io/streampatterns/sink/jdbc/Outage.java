package io.streampatterns.sink.jdbc;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A database that went away while a batch was being written (restart, fail-over, network): waited out with growing
 * pauses (0.25 s doubling to 5 s) up to a limit, since a batch write is idempotent and can start over. Other failures
 * (a constraint, a type, a permission) are not an outage and are not retried.
 */
final class Outage {
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private final long deadlineNanos;
    private Duration pause = FIRST_PAUSE;

    Outage(Duration limit) {
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /**
     * Whether {@code failure} says the connection was lost or refused: SQL state class 08 (connection exception),
     * 57P01-57P03 (server shutting down or starting), or a refused socket, anywhere in its causes; a task's failure
     * comes back to the driver as text, so the driver's message naming PostgreSQL's refusal counts as well.
     */
    static boolean isConnectionLoss(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().matches("57P0[123]"))) {
                return true;
            }
            if (t instanceof ConnectException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("PSQLException: Connection to") || m.contains("PSQLException: FATAL: the database system is"))) {
                return true;
            }
        }
        return false;
    }

    /** Pauses before the next attempt; false (without pausing) once the limit would be passed. */
    boolean pauseBeforeRetry() {
        if (System.nanoTime() + pause.toNanos() > deadlineNanos) {
            return false;
        }
        LockSupport.parkNanos(pause.toNanos());
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        return true;
    }
}
