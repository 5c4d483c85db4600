package io.streampatterns.apps.join;

import io.delta.tables.DeltaTable;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.io.EventInput;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines inputs of a join command: each directory is read with its own time column and
 * {@code --max-files-per-batch} files per micro-batch; records that do not parse go to the output's quarantine
 * table, one companion query per input.
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

    /**
     * Starts one quarantine query per input ({@code quarantine-NAME}), all appending to the output's quarantine table.
     * Not {@link EventInput#startQuarantine}: its query name is fixed, and two inputs need two queries.
     */
    List<StreamingQuery> startQuarantines(JoinOutput out) {
        List<StreamingQuery> queries = new ArrayList<>();
        // created up front: two streams creating one Delta table at once conflict on its first commit
        DeltaTable.createIfNotExists(spark).location(out.quarantine().toString())
                .addColumns(inputs.values().iterator().next().quarantine().schema()).execute();
        inputs.forEach((name, in) -> queries.add(in.quarantine().writeStream().format("delta").outputMode("append")
                .queryName("quarantine-" + name)
                .option("checkpointLocation", out.checkpoint("quarantine-" + name).toString())
                .trigger(stream.trigger())
                .start(out.quarantine().toString())));
        return queries;
    }
}
