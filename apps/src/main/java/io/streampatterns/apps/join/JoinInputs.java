package io.streampatterns.apps.join;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines inputs of a join command: each directory is read with its own time column and
 * {@code --max-files-per-batch} files per micro-batch; records that do not parse go to the output's quarantine
 * table, written by the join's own query (see {@link QuarantineTable}).
 */
final class JoinInputs {
    private final SparkSession spark;
    private final StreamCommandOptions stream;
    private final Map<String, EventInput> inputs = new LinkedHashMap<>();

    JoinInputs(SparkSession spark, StreamCommandOptions stream) {
        this.spark = spark;
        this.stream = stream;
    }

    /** The input called {@code name} (e.g. {@code left}) from {@code dir}, event time in {@code timeColumn}. */
    EventInput add(String name, Path dir, String timeColumn) {
        EventInput in = EventInput.jsonLines(spark, dir, timeColumn, stream.maxFilesPerBatch(), List.of());
        inputs.put(name, in);
        return in;
    }

    /** The output's quarantine table for the records every input quarantines, written by the join's own query. */
    QuarantineTable quarantine(JoinOutput out) {
        return QuarantineTable.of(Storage.text(out.quarantine()), inputs.values().toArray(new EventInput[0]));
    }
}
