package io.streampatterns.apps.join;

import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.Storage;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.joins.DeltaDimensionJoin;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code streampatterns join static}: stream–static join with a Delta dimension table. */
@Command(name = "static", mixinStandardHelpOptions = true,
        description = {"Stream-static join: events with a Delta table's current rows.",
                "The table is re-read every micro-batch: an update to it shows from the next batch (a cached DataFrame or a"
                        + " plain Parquet directory would stay stale). Output: every event column, then the table's other"
                        + " columns prefixed dim_; events without a row keep nulls unless --inner."})
public final class StaticJoinCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Events (JSON lines).")
    Path input;

    @Option(names = "--time", required = true, paramLabel = "COL", description = "Event-time column (ISO-8601 or epoch ms).")
    String time;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Join key, same column name in events and table.")
    String key;

    @Option(names = "--dimension", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "The Delta table to join with, local or any Hadoop file system URI.")
    URI dimension;

    @Option(names = "--broadcast", description = "Broadcast the table to every task (small tables: no shuffle).")
    boolean broadcast;

    @Option(names = "--inner", description = "Drop events whose key is not in the table.")
    boolean inner;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table to append to, local or any Hadoop file system URI.")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        DeltaDimensionJoin.Options options = DeltaDimensionJoin.Options.of(Storage.text(dimension), key);
        options = broadcast ? options.withBroadcast() : options;
        options = inner ? options.innerOnly() : options;
        DeltaDimensionJoin.Options o = options;
        JoinOutput out = JoinOutput.of(output, stream.checkpointOr(null));
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-join-static");
        JoinInputs inputs = new JoinInputs(spark, stream);
        var events = inputs.add("events", input, time).events();
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            queries.add(StaticJoinApp.start(spark, events, o, out, stream.trigger(), inputs.quarantine(out)));
            return queries;
        });
        System.err.println("joined: " + Storage.text(out.table()) + "  quarantine: " + Storage.text(out.quarantine()));
    }
}
