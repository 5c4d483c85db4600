package io.streampatterns.apps.stats;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.cli.WarehouseOptions;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import io.streampatterns.core.StateOptions;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.apache.spark.sql.SparkSession;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streampatterns stats}: JSON-lines events → all-time statistics per key in state → Delta (+ PostgreSQL). */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"All-time statistics per key, with state pruned after a TTL.",
                "Per key: first_seen, last_seen, events, total_COL per --sum and sessions (events whose --session-start column"
                        + " is true), upserted into the Delta table --output (and PostgreSQL with --warehouse) on (key, active_since),"
                        + " once per batch. A key idle for --ttl of event time leaves the state; its final row stays with"
                        + " pruned = true, and if it returns it gets a new row (a new active_since).",
                "Records that cannot be parsed go to OUTPUT_quarantine. Running the same command resumes; inspect the state"
                        + " with 'streampatterns state OUTPUT_checkpoint/stats'."})
public final class StatsCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory of JSON-lines files (new files are picked up as they land).")
    Path input;

    @Option(names = "--format", required = true, paramLabel = "jsonl", description = "Record format: jsonl.")
    String format;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Column to keep statistics for (e.g. user_id).")
    String key;

    @Option(names = "--time", required = true, paramLabel = "COL", description = "Event-time column: ISO-8601 text or epoch milliseconds.")
    String time;

    @Option(names = "--sum", paramLabel = "COL", description = "Numeric column to total per key (repeatable), e.g. amount.")
    List<String> sums = new ArrayList<>();

    @Option(names = "--session-start", paramLabel = "COL", description = "Boolean column, true on a session's first event: counts sessions.")
    String sessionStart;

    @Option(names = "--ttl", required = true, paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "Prune keys without events for this long (event time), e.g. 30d.")
    Duration ttl;

    @Option(names = "--watermark", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How late (event time) an event may arrive, e.g. 10m.")
    Duration watermark;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table of statistics, local or any Hadoop file system URI (quarantine: DIR_quarantine).")
    URI output;

    @Mixin
    WarehouseOptions warehouse;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        URI checkpoint = stream.checkpointOr(Storage.sibling(output, "_checkpoint"));
        UserStatsApp.Options options = options().withCheckpoint(Storage.child(checkpoint, "stats"));
        if (options.warehouse != null) {
            options.warehouse.checkReachable();
        }
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-stats");
        EventInput in = EventInput.jsonLines(spark, input, time, stream.maxFilesPerBatch(), List.of(key));
        options.stats().validate(in.events().schema());
        // state holds per-key sums of these columns, kept for the TTL
        StateOptions.of("stats").with("--key", key).with("--time", time).with("--sum", String.join(",", sums))
                .with("--session-start", sessionStart).with("--ttl", ttl)
                .check(spark.sparkContext().hadoopConfiguration(), Storage.text(options.checkpoint()));
        String quarantine = Storage.text(Storage.sibling(output, "_quarantine"));
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> List.of(
                UserStatsApp.start(spark, in.events(), options, stream.trigger(), QuarantineTable.of(quarantine, in))));
        System.err.println("stats table: " + Storage.text(output) + "  quarantine: " + quarantine + "  state: "
                + Storage.text(options.checkpoint()));
    }

    UserStatsApp.Options options() {
        ConfigException.check("jsonl".equalsIgnoreCase(format), "--format: only jsonl is supported, got '" + format + "'");
        GlobalStats.Options stats = GlobalStats.Options.of(key, EventTime.of(time, watermark))
                .withSums(sums.toArray(new String[0]))
                .withTtl(ttl);
        if (sessionStart != null) {
            stats = stats.withSessionStarts(sessionStart);
        }
        UserStatsApp.Options o = UserStatsApp.Options.of(stats, output);
        JdbcTarget target = warehouse.target(Storage.name(output), stats.sinkKeys().toArray(new String[0]));
        return target == null ? o : o.withWarehouse(target);
    }

    public static void main(String[] args) {
        Cli.main(new StatsCommand(), args);
    }
}
