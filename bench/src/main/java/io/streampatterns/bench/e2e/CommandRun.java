package io.streampatterns.bench.e2e;

import io.streampatterns.apps.cli.Cli;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.util.concurrent.TimeoutException;

/**
 * Runs what the end-to-end entries compare: one of our CLI commands, in this JVM and on its SparkSession (what a user
 * runs, minus the JVM start-up that both sides would pay), or a plain-Spark streaming query to its end.
 */
final class CommandRun {
    private CommandRun() {
    }

    /** Executes the command (a picocli command object) with {@code args}; fails unless it exits with 0. */
    static void command(Object command, String... args) {
        int code = Cli.execute(command, args);
        if (code != 0) {
            throw new IllegalStateException("command " + command.getClass().getSimpleName() + " exited with " + code
                    + ": " + String.join(" ", args));
        }
    }

    /** Starts the plain-Spark query and waits for its end ({@code Trigger.AvailableNow} expected). */
    static void query(DataStreamWriter<Row> writer) throws Exception {
        StreamingQuery q;
        try {
            q = writer.start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
        q.awaitTermination();
    }

    /** The Delta table at {@code path}. */
    static Dataset<Row> table(SparkSession spark, java.nio.file.Path path) {
        return spark.read().format("delta").load(path.toString());
    }
}
