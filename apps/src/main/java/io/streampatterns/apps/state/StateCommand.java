package io.streampatterns.apps.state;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

/** {@code streampatterns state CHECKPOINT_DIR}: what a streaming query holds in state, and how big it is. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Inspect what a streaming query holds in state.",
                "From the checkpoint of a running or stopped query, with Spark's state data source, as of the latest committed batch: per"
                        + " stateful operator and state variable (transformWithState) or state store, the number of rows and"
                        + " their approximate size (as JSON) in total and per partition, and the size of the operator's state"
                        + " files. With --key, also the state rows whose key (any key field) equals K."})
public final class StateCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "CHECKPOINT_DIR", converter = LocationConverter.class,
            description = "Checkpoint directory of one query: a local path or a Hadoop file system URI (hdfs://, s3a://, ...).")
    URI checkpoint;

    @Option(names = "--operator", paramLabel = "N", description = "Only stateful operator N (default: all).")
    Long operator;

    @Option(names = "--key", paramLabel = "K", description = "Print the state rows whose key (any key field, as text) equals K.")
    String key;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // first the session: its Hadoop configuration (spark.hadoop.*) reaches the checkpoint's file system
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-state");
        requireCheckpoint(checkpoint);
        List<StateStore> stores = StateStore.list(spark, checkpoint);
        ConfigException.check(!stores.isEmpty(), "no stateful operator in " + Storage.text(checkpoint));
        if (operator != null) {
            List<Long> ids = stores.stream().map(StateStore::operatorId).distinct().toList();
            ConfigException.check(ids.contains(operator), "no operator " + operator + " in " + Storage.text(checkpoint) + " (operators: "
                    + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
            stores = stores.stream().filter(s -> s.operatorId() == operator).toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("checkpoint " + Storage.text(checkpoint) + ", state of batch " + lastCommittedBatch(checkpoint));
        long previous = -1;
        for (StateStore s : stores) {
            if (s.operatorId() != previous) {
                previous = s.operatorId();
                out.printf("operator %d %s: %d partitions, batches %d..%d, state files %d bytes%n", s.operatorId(),
                        s.operatorName(), s.partitions(), s.minBatchId(), s.maxBatchId(), filesSize(s.operatorId()));
            }
            print(out, s, s.read(spark, checkpoint));
        }
        out.flush();
    }

    private void print(PrintWriter out, StateStore store, Dataset<Row> rows) {
        Column[] content = Arrays.stream(rows.columns()).filter(c -> !c.equals("partition_id")).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        Map<Integer, long[]> perPartition = new HashMap<>();
        for (Row r : rows.groupBy("partition_id")
                .agg(count(lit(1)), sum(octet_length(to_json(struct(content))))).collectAsList()) {
            perPartition.put(r.getInt(0), new long[]{r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2)});
        }
        long total = perPartition.values().stream().mapToLong(v -> v[0]).sum();
        long bytes = perPartition.values().stream().mapToLong(v -> v[1]).sum();
        out.printf("  %s: %d rows, ~%d bytes%n", store.label(), total, bytes);
        for (int p = 0; p < store.partitions(); p++) {
            long[] v = perPartition.getOrDefault(p, new long[2]);
            out.printf("    partition %d: %d rows, ~%d bytes%n", p, v[0], v[1]);
        }
        if (key != null) {
            for (Row r : rows.filter(keyMatches(rows)).select(col("partition_id"), to_json(struct(content)))
                    .orderBy("partition_id").collectAsList()) {
                out.printf("    key %s, partition %d: %s%n", key, r.getInt(0), r.getString(1));
            }
        }
    }

    private Column keyMatches(Dataset<Row> rows) {
        StructType keyType = (StructType) rows.schema().apply("key").dataType();
        return Arrays.stream(keyType.fieldNames())
                .map(f -> col("key").getField(f).cast("string").equalTo(lit(key)))
                .reduce(Column::or).orElse(lit(false));
    }

    private long filesSize(long operatorId) {
        // files removed by the running query's maintenance meanwhile are not counted
        return Storage.size(Storage.child(Storage.child(checkpoint, "state"), String.valueOf(operatorId)));
    }

    static void requireCheckpoint(URI dir) {
        ConfigException.check(Storage.isDirectory(dir), "no such checkpoint directory: " + Storage.text(dir));
        if (!Storage.isDirectory(Storage.child(dir, "offsets"))) {
            String inside = Storage.list(dir).stream().filter(c -> Storage.isDirectory(Storage.child(c, "offsets")))
                    .map(Storage::name).sorted().collect(Collectors.joining(", "));
            throw new ConfigException("not a query checkpoint (no offsets/): " + Storage.text(dir)
                    + (inside.isEmpty() ? "" : "; checkpoints inside it: " + inside));
        }
    }

    static long lastCommittedBatch(URI checkpoint) {
        return Storage.list(Storage.child(checkpoint, "commits")).stream().map(Storage::name).filter(n -> n.matches("\\d+"))
                .mapToLong(Long::parseLong).max()
                .orElseThrow(() -> new ConfigException("no committed batch yet in " + Storage.text(checkpoint)));
    }

    public static void main(String[] args) {
        Cli.main(new StateCommand(), args);
    }
}
