package io.streampatterns.apps.cli;

import org.apache.spark.sql.streaming.StreamingQueryListener;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queries whose end the listener bus has delivered. Spark posts a query's end asynchronously: when
 * {@code awaitTermination} returns, listeners may not have seen it yet, and a command that exits then leaves them
 * behind (the progress file of the last query of a {@code --once} run stayed "active"). The bus calls its listeners one
 * after the other, in the order they were added, so once this listener (added last) saw a query end, every listener
 * added before it has too.
 */
final class QueryEnds extends StreamingQueryListener {
    private final Set<UUID> ended = ConcurrentHashMap.newKeySet();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
    }

    @Override
    public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
        ended.add(event.id());
        notifyAll();
    }

    /** Waits until the end of each query of {@code ids} was delivered, at most {@code timeout}; true if all were. */
    synchronized boolean await(Collection<UUID> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!ended.containsAll(ids)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
