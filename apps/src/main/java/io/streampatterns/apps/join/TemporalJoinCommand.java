package io.streampatterns.apps.join;

import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.Storage;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.joins.Scd2Table;
import io.streampatterns.joins.TemporalJoin;
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

/** {@code streampatterns join temporal}: as-of join of facts with a CDC change stream. */
@Command(name = "temporal", mixinStandardHelpOptions = true,
        description = {"Temporal join: each fact with the version valid at its time.",
                "The version is the change with the latest change time <= fact time. A change whose op column is 'delete' ends"
                        + " the key's version (facts after it get nulls). A fact is written once the watermark (the lower of both"
                        + " inputs') has passed its time, so a change arriving late but inside the watermark still counts; older"
                        + " rows are dropped as late.",
                "Output: the fact's columns, then the change's other columns prefixed dim_. With --history DIR the dimension"
                        + " is also kept as an SCD type-2 Delta table (valid_from, valid_to, is_current)."})
public final class TemporalJoinCommand implements Runnable {
    @Option(names = "--facts", required = true, paramLabel = "DIR", description = "Fact events (JSON lines), e.g. transactions.")
    Path facts;

    @Option(names = "--changes", required = true, paramLabel = "DIR", description = "Dimension changes (JSON lines, optional op column).")
    Path changes;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Join key, same column name in facts and changes.")
    String key;

    @Option(names = "--fact-time", required = true, paramLabel = "COL", description = "Event time of a fact (ISO-8601 or epoch ms).")
    String factTime;

    @Option(names = "--change-time", required = true, paramLabel = "COL", description = "Time from which a change is valid.")
    String changeTime;

    @Option(names = "--watermark", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a fact waits for late changes (and how late any row may be), e.g. 2m.")
    Duration watermark;

    @Option(names = "--history", paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Also write the dimension as an SCD type-2 Delta table here (local or any Hadoop file system URI).")
    URI history;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table to append to, local or any Hadoop file system URI.")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        TemporalJoin.Options options = options();
        JoinOutput out = JoinOutput.of(output, stream.checkpointOr(null));
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-join-temporal");
        JoinInputs inputs = new JoinInputs(spark, stream);
        var f = inputs.add("facts", facts, factTime).events();
        EventInput changeInput = inputs.add("changes", changes, changeTime);
        var c = changeInput.events();
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            queries.add(TemporalJoinApp.start(spark, f, c, options, out, stream.trigger(), inputs.quarantine(out)));
            if (history != null) {
                // the join query quarantines the changes' bad records: the history query only skips them
                queries.add(TemporalJoinApp.startHistory(changeInput.eventsWithoutCapture(),
                        Scd2Table.Options.of(Storage.text(history), key, changeTime), out, stream.trigger()));
            }
            return queries;
        });
        System.err.println("joined: " + Storage.text(out.table()) + (history != null ? "  history: " + Storage.text(history) : "")
                + "  quarantine: " + Storage.text(out.quarantine()));
    }

    TemporalJoin.Options options() {
        return TemporalJoin.Options.of(key, EventTime.of(factTime, watermark), EventTime.of(changeTime, watermark));
    }
}
