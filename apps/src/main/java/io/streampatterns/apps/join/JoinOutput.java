package io.streampatterns.apps.join;

import io.streampatterns.apps.io.QuarantineTable;
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

    /**
     * Starts appending {@code joined} to the output table, once per batch id, and the records its inputs quarantined
     * to {@code quarantine}, in the same query.
     */
    StreamingQuery append(Dataset<Row> joined, String queryName, Trigger trigger, QuarantineTable quarantine) {
        Objects.requireNonNull(joined, "joined");
        Path ckpt = checkpoint(queryName);
        try {
            return joined.writeStream().queryName(queryName).outputMode("append")
                    .option("checkpointLocation", ckpt.toString()).trigger(trigger)
                    .foreachBatch(quarantine.around(DeltaSinks.appender(output.toString(),
                            DeltaSinks.appIdFor(ckpt, "join:" + output)), ckpt))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
