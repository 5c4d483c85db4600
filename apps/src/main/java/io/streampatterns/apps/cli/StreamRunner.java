package io.streampatterns.apps.cli;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the queries of a command to their end: with {@code --once} until each has processed what was available;
 * otherwise until Ctrl-C (SIGINT/SIGTERM), which stops every query after its current micro-batch, or until
 * {@code maxRun} has passed. Shows live progress while running.
 */
public final class StreamRunner {
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);

    private StreamRunner() {
    }

    /** Starts the queries with {@code starter} (so the progress display sees them from the first batch) and runs them. */
    public static void run(SparkSession spark, boolean once, Duration maxRun, Supplier<List<StreamingQuery>> starter) {
        ProgressDisplay display = ProgressDisplay.onStderr();
        spark.streams().addListener(display);
        List<StreamingQuery> queries = starter.get();
        Thread hook = new Thread(() -> stopAfterCurrentBatch(queries), "streampatterns-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            await(queries, once, maxRun);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the queries
            }
            spark.streams().removeListener(display);
        }
    }

    private static void await(List<StreamingQuery> queries, boolean once, Duration maxRun) {
        long deadline = maxRun == null ? Long.MAX_VALUE : System.nanoTime() + maxRun.toNanos();
        try {
            while (true) {
                boolean allDone = true;
                for (StreamingQuery q : queries) {
                    if (q.isActive()) {
                        allDone = false;
                        q.awaitTermination(200);
                    }
                    failIfFailed(q);
                }
                if (allDone) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    stopAfterCurrentBatch(queries);
                    return;
                }
            }
        } catch (StreamingQueryException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    private static void failIfFailed(StreamingQuery q) {
        if (q.exception().isDefined()) {
            throw new IllegalStateException("query " + q.name() + " failed: " + q.exception().get().getMessage(),
                    q.exception().get());
        }
    }

    /** Waits for each active query to finish its running batch (bounded), then stops it. */
    public static void stopAfterCurrentBatch(List<StreamingQuery> queries) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (StreamingQuery q : queries) {
            try {
                while (q.isActive() && q.status().isTriggerActive() && System.nanoTime() < deadline) {
                    q.awaitTermination(50);
                }
                q.stop();
            } catch (StreamingQueryException | TimeoutException e) {
                // the query already ended with an error: nothing more to stop
            }
        }
    }
}
