package io.streampatterns.apps.cli;

import io.streampatterns.dashboard.WatchOptions;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the queries of a command to their end: with {@code --once} until each has processed what was available;
 * otherwise until Ctrl-C (SIGINT/SIGTERM), which stops every query after its current micro-batch, or until
 * {@code maxRun} has passed; when one fails, the others stop after their current batch. Shows live progress while
 * running, and returns (or throws) only once the listeners added before it have seen every query end.
 */
public final class StreamRunner {
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);
    private static final int STOP_PRIORITY = 100;
    /** How long a stopped query's end may take to reach the listeners (progress files) before the command goes on. */
    private static final Duration LISTENER_WAIT = Duration.ofSeconds(30);

    private StreamRunner() {
    }

    /**
     * Starts the queries with {@code starter} (so the progress display sees them from the first batch) and runs them;
     * the display's warnings know no trigger interval (see the overload with {@link WatchOptions}).
     */
    public static void run(SparkSession spark, boolean once, Duration maxRun, Supplier<List<StreamingQuery>> starter) {
        run(spark, once, maxRun, WatchOptions.defaults(), starter);
    }

    /**
     * Starts the queries with {@code starter} (so the progress display sees them from the first batch) and runs them;
     * the display warns when a query falls behind or grows its state as {@code watch} (with the queries' trigger
     * interval, {@link StreamCommandOptions#watch()}) judges it.
     */
    public static void run(SparkSession spark, boolean once, Duration maxRun, WatchOptions watch,
                           Supplier<List<StreamingQuery>> starter) {
        ProgressDisplay display = ProgressDisplay.onStderr(watch);
        QueryEnds ends = new QueryEnds();
        spark.streams().addListener(display);
        spark.streams().addListener(ends);
        List<StreamingQuery> queries;
        try {
            queries = starter.get();
        } catch (RuntimeException e) {
            spark.streams().removeListener(display);
            spark.streams().removeListener(ends);
            throw e;
        }
        // Through Hadoop's hook manager, which Spark uses too: hooks run one after the other by priority, so this one
        // finishes the running batch before Spark's own hook (priority 40-50) stops the SparkContext.
        Runnable hook = () -> {
            stopAfterCurrentBatch(queries);
            ends.await(ids(queries), LISTENER_WAIT);
        };
        ShutdownHookManager.get().addShutdownHook(hook, STOP_PRIORITY, STOP_WAIT.plus(LISTENER_WAIT).toSeconds() + 10,
                TimeUnit.SECONDS);
        try {
            await(queries, once, maxRun);
        } finally {
            // when one query failed, the others stop too, after their running batch; then every end reaches the
            // listeners (progress files record each query as stopped, with its failure) before the command goes on
            stopAfterCurrentBatch(queries);
            ends.await(ids(queries), LISTENER_WAIT);
            try {
                ShutdownHookManager.get().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the queries
            }
            spark.streams().removeListener(display);
            spark.streams().removeListener(ends);
        }
    }

    private static List<UUID> ids(List<StreamingQuery> queries) {
        return queries.stream().map(StreamingQuery::id).toList();
    }

    private static void await(List<StreamingQuery> queries, boolean once, Duration maxRun) {
        long deadline = maxRun == null ? Long.MAX_VALUE : System.nanoTime() + maxRun.toNanos();
        while (true) {
            boolean allDone = true;
            for (StreamingQuery q : queries) {
                if (q.isActive()) {
                    allDone = false;
                    awaitTermination(q, 200);
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
    }

    private static void awaitTermination(StreamingQuery q, long millis) {
        try {
            q.awaitTermination(millis);
        } catch (StreamingQueryException e) {
            throw failed(q, e);
        }
    }

    private static void failIfFailed(StreamingQuery q) {
        if (q.exception().isDefined()) {
            throw failed(q, q.exception().get());
        }
    }

    /** Short, since Spark's message holds the whole plan: the CLI prints it with the root cause, the log file with the trace. */
    private static IllegalStateException failed(StreamingQuery q, StreamingQueryException e) {
        return new IllegalStateException("query " + (q.name() != null ? q.name() : q.id()) + " failed", e);
    }

    /** True while a micro-batch runs (or is being planned); false while the query waits for its next trigger or for data. */
    private static boolean busy(StreamingQuery q) {
        return q.status().isTriggerActive() || !q.status().message().startsWith("Waiting");
    }

    /** Waits for each active query to finish its running batch (bounded), then stops it. */
    public static void stopAfterCurrentBatch(List<StreamingQuery> queries) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (StreamingQuery q : queries) {
            try {
                while (q.isActive() && busy(q) && System.nanoTime() < deadline) {
                    q.awaitTermination(20);
                }
                q.stop();
            } catch (StreamingQueryException | TimeoutException e) {
                // the query already ended with an error: nothing more to stop
            }
        }
    }
}
