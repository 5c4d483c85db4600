package io.streampatterns.apps.join;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Where a join command writes: the Delta table {@code output}, its quarantine table {@code output_quarantine}, and
 * the checkpoints of its queries under one directory (default {@code output_checkpoint}, beside the table).
 */
public final class JoinOutput {
    private final URI output;
    private final URI checkpoint;

    private JoinOutput(URI output, URI checkpoint) {
        this.output = output;
        this.checkpoint = checkpoint;
    }

    /** Output table {@code output}; checkpoints in {@code checkpoint}, or beside the output if {@code null}. */
    public static JoinOutput of(URI output, URI checkpoint) {
        ConfigException.check(output != null, "--output DIR is required");
        return new JoinOutput(output, checkpoint != null ? checkpoint : Storage.sibling(output, "_checkpoint"));
    }

    public URI table() {
        return output;
    }

    public URI quarantine() {
        return Storage.sibling(output, "_quarantine");
    }

    /** The checkpoint of the query called {@code name}. */
    public URI checkpoint(String name) {
        return Storage.child(checkpoint, name);
    }

    /**
     * Starts appending {@code joined} to the output table, once per batch id, and the records its inputs quarantined
     * to {@code quarantine}, in the same query.
     */
    StreamingQuery append(Dataset<Row> joined, String queryName, Trigger trigger, QuarantineTable quarantine) {
        Objects.requireNonNull(joined, "joined");
        URI ckpt = checkpoint(queryName);
        try {
            return joined.writeStream().queryName(queryName).outputMode("append")
                    .option("checkpointLocation", Storage.text(ckpt)).trigger(trigger)
                    .foreachBatch(quarantine.around(DeltaSinks.appender(Storage.text(output),
                            DeltaSinks.appIdFor(ckpt, "join:" + Storage.text(output))), ckpt))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
