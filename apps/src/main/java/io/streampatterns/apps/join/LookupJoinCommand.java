package io.streampatterns.apps.join;

import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.Storage;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.joins.LookupJoin;
import io.streampatterns.joins.PostgresLookup;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code streampatterns join lookup}: lookup join against a PostgreSQL table. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = {"Lookup join: events with PostgreSQL rows looked up by key.",
                "One query per chunk of events (WHERE key = ANY(?)), answers cached per executor (LRU, --cache-size entries,"
                        + " --cache-ttl), missing keys cached too. Output: every event column, the table's columns prefixed dim_,"
                        + " then lookup_found (false with null columns when the key has no row). Password from env"
                        + " STREAMPATTERNS_JDBC_PASSWORD."})
public final class LookupJoinCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Events (JSON lines).")
    Path input;

    @Option(names = "--time", required = true, paramLabel = "COL", description = "Event-time column (ISO-8601 or epoch ms).")
    String time;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Event column holding the lookup key.")
    String key;

    @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "jdbc:postgresql://host:port/db")
    String jdbc;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user (or user= in the URL).")
    String user;

    @Option(names = "--table", required = true, paramLabel = "NAME", description = "Table to look up in.")
    String table;

    @Option(names = "--table-key", paramLabel = "COL", description = "Key column of the table (default: --key).")
    String tableKey;

    @Option(names = "--columns", split = ",", paramLabel = "COL[,COL...]", description = "Columns to fetch (default: all but the key).")
    List<String> columns = new ArrayList<>();

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500", description = "Events per lookup query (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--cache-size", paramLabel = "N", defaultValue = "100000", description = "Cached keys per executor, 0 = no cache (default: ${DEFAULT-VALUE}).")
    int cacheSize;

    @Option(names = "--cache-ttl", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long a cached answer is used (default: ${DEFAULT-VALUE}).")
    Duration cacheTtl;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table to append to, local or any Hadoop file system URI.")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        JdbcTarget target = JdbcTarget.of(jdbc, table, tableKey != null ? tableKey : key);
        PostgresLookup source = PostgresLookup.connect(user != null ? target.withUser(user) : target, columns);
        LookupJoin.Options options = LookupJoin.Options.of(key, source).withBatchSize(batchSize)
                .withCache(cacheSize, cacheTtl);
        JoinOutput out = JoinOutput.of(output, stream.checkpointOr(null));
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-join-lookup");
        JoinInputs inputs = new JoinInputs(spark, stream);
        var events = inputs.add("events", input, time).events();
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            queries.add(LookupJoinApp.start(spark, events, options, out, stream.trigger(), inputs.quarantine(out)));
            return queries;
        });
        System.err.println("joined: " + Storage.text(out.table()) + "  quarantine: " + Storage.text(out.quarantine()));
    }
}
