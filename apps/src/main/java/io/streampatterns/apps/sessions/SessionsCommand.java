package io.streampatterns.apps.sessions;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.StateOptions;
import io.streampatterns.core.Storage;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import java.util.List;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streampatterns sessions}: JSON-lines events → sessions by user with analytics rules → a Delta table. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = {"Sessionization: events grouped into sessions per key.",
                "Events of a directory of JSON-lines files are grouped per --key into sessions (inactivity gap, optional"
                        + " per-event gap, max duration, close event, split at local midnight, split on a column change),"
                        + " out-of-order events accepted within the watermark, and written to the Delta table --output: in update"
                        + " mode every session (open ones too) in its latest version, in append mode each session once final.",
                "Records that cannot be parsed go to OUTPUT_quarantine. Running the same command again resumes."})
public final class SessionsCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory of JSON-lines files (new files are picked up as they land).")
    Path input;

    @Option(names = "--format", required = true, paramLabel = "jsonl", description = "Record format: jsonl.")
    String format;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Column that identifies whose session it is (e.g. user_id).")
    String key;

    @Option(names = "--time", required = true, paramLabel = "COL", description = "Event-time column: ISO-8601 text or epoch milliseconds.")
    String time;

    @Option(names = "--gap", required = true, paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "Inactivity gap that ends a session, e.g. 30m (inclusive).")
    Duration gap;

    @Option(names = "--gap-column", paramLabel = "COL", description = "Per-event gap (milliseconds, or text like 10m); null falls back to --gap.")
    String gapColumn;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "A session lasts at most this long after its first event.")
    Duration maxDuration;

    @Option(names = "--close-when", paramLabel = "SQL_PREDICATE", description = "An event matching it ends its session, e.g. \"type = 'logout'\".")
    String closeWhen;

    @Option(names = "--split-at-midnight", paramLabel = "TZ", description = "Split sessions at local midnight in this time zone, e.g. Europe/Paris.")
    String splitAtMidnight;

    @Option(names = "--split-on", paramLabel = "COL", description = "Start a new session when this column changes, e.g. campaign.")
    String splitOn;

    @Option(names = "--page-column", paramLabel = "COL", description = "Column for first_page/last_page (default: page, if present).")
    String pageColumn;

    @Option(names = "--campaign-column", paramLabel = "COL", description = "Column for campaign (default: campaign, if present).")
    String campaignColumn;

    @Option(names = "--amount-column", paramLabel = "COL", description = "Numeric column summed into amount (default: amount, if present).")
    String amountColumn;

    @Option(names = "--watermark", required = true, paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "How late (event time) an event may arrive, e.g. 10m.")
    Duration watermark;

    @Option(names = "--mode", required = true, paramLabel = "update|append", description = "update: open sessions as they change; append: each session once, final.")
    String mode;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table of sessions, local or any Hadoop file system URI (quarantine: DIR_quarantine).")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        ConfigException.check("jsonl".equalsIgnoreCase(format), "--format: only jsonl is supported, got '" + format + "'");
        SessionOptions sessions = SessionOptions.of(key, EventTime.of(time, watermark)).rules(rules()).emit(EmitMode.parse(mode));
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-sessions");
        EventInput in = EventInput.jsonLines(spark, input, time, stream.maxFilesPerBatch(), List.of(key));
        StructType fields = in.schema().fields();
        String page = orPresent(pageColumn, "page", fields);
        String campaign = orPresent(campaignColumn, "campaign", fields);
        String amount = orPresent(amountColumn, "amount", fields);
        SessionsApp.Options options = SessionsApp.Options.of(sessions, output).withColumns(page, campaign, amount);
        URI checkpoint = Storage.child(stream.checkpointOr(Storage.sibling(output, "_checkpoint")), "sessions");
        // open sessions in state were cut by these rules and hold accumulators of these columns
        StateOptions.of("sessions").with("--key", key).with("--time", time).with("--gap", gap)
                .with("--gap-column", gapColumn).with("--max-duration", maxDuration).with("--close-when", closeWhen)
                .with("--split-at-midnight", splitAtMidnight).with("--split-on", splitOn).with("--mode", sessions.mode())
                .with("--page-column", page).with("--campaign-column", campaign).with("--amount-column", amount)
                .check(spark.sparkContext().hadoopConfiguration(), Storage.text(checkpoint));
        String quarantine = Storage.text(Storage.sibling(output, "_quarantine"));
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> List.of(
                SessionsApp.start(spark, in.events(), options, checkpoint, stream.trigger(),
                        QuarantineTable.of(quarantine, in))));
        System.err.println("sessions table: " + Storage.text(output) + "  quarantine: " + quarantine);
    }

    /** The rules from the options, checked before anything is read. */
    SessionRules rules() {
        SessionRules r = SessionRules.gap(gap);
        r = apply(r, gapColumn, SessionRules::withGapColumn);
        r = apply(r, maxDuration, SessionRules::withMaxDuration);
        r = apply(r, closeWhen, SessionRules::withCloseWhen);
        r = apply(r, splitAtMidnight, SessionRules::withSplitAtMidnight);
        return apply(r, splitOn, SessionRules::withSplitOn);
    }

    private static <T> SessionRules apply(SessionRules rules, T value, BiFunction<SessionRules, T, SessionRules> with) {
        return value == null ? rules : with.apply(rules, value);
    }

    /** The column given, else the column of that name when the input has it: the page, campaign and amount columns. */
    private static String orPresent(String given, String name, StructType fields) {
        return given != null ? given : Arrays.asList(fields.fieldNames()).contains(name) ? name : null;
    }

    public static void main(String[] args) {
        Cli.main(new SessionsCommand(), args);
    }
}
