package io.streampatterns.apps.join;

import io.streampatterns.core.ConfigException;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Where a join command writes: the Delta table {@code output}, its quarantine table {@code output_quarantine}, and
 * the checkpoints of its queries under one directory (default {@code output_checkpoint}, beside the table).
 */
public final class JoinOutput {
    private final Path output;
    private final Path checkpoint;

    private JoinOutput(Path output, Path checkpoint) {
        this.output = output;
        this.checkpoint = checkpoint;
    }

    /** Output table {@code output}; checkpoints in {@code checkpoint}, or beside the output if {@code null}. */
    public static JoinOutput of(Path output, Path checkpoint) {
        ConfigException.check(output != null, "--output DIR is required");
        Path abs = output.toAbsolutePath();
        return new JoinOutput(abs, checkpoint != null ? checkpoint.toAbsolutePath()
                : abs.resolveSibling(abs.getFileName() + "_checkpoint"));
    }

    public Path table() {
        return output;
    }

    public Path quarantine() {
        return output.resolveSibling(output.getFileName() + "_quarantine");
    }

    /** The checkpoint of the query called {@code name}. */
    public Path checkpoint(String name) {
        return checkpoint.resolve(name);
    }

    /** Starts appending {@code joined} to the output table (Delta's exactly-once streaming sink). */
    StreamingQuery append(Dataset<Row> joined, String queryName, Trigger trigger) {
        Objects.requireNonNull(joined, "joined");
        try {
            return DeltaSinks.appendStream(joined, output.toString(), checkpoint(queryName).toString())
                    .queryName(queryName).trigger(trigger).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
