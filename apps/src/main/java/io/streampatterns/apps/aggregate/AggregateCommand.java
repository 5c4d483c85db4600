package io.streampatterns.apps.aggregate;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import io.streampatterns.core.StateOptions;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.sql.SparkSession;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streampatterns aggregate}: JSON-lines events → pane-based sliding window aggregates per key → a Delta table. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = {"Sliding or tumbling window aggregates per key, into Delta.",
                "Each event is aggregated once into its pane (gcd of window and slide): count, sum, min, max, mean, variance,"
                        + " stddev, distinct, p50, p95, p99 of --value, written to the Delta table --output (key, window_start,"
                        + " window_end, ...). Append mode writes each window once, when the watermark passes its end; update mode"
                        + " keeps every window's current value, open ones included.",
                "Records that cannot be parsed go to OUTPUT_quarantine. Running the same command resumes."})
public final class AggregateCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory of JSON-lines files (new files are picked up as they land).")
    Path input;

    @Option(names = "--format", required = true, paramLabel = "jsonl", description = "Record format: jsonl.")
    String format;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Column to aggregate by (e.g. user_id).")
    String key;

    @Option(names = "--time", required = true, paramLabel = "COL", description = "Event-time column: ISO-8601 text or epoch milliseconds.")
    String time;

    @Option(names = "--value", required = true, paramLabel = "COL", description = "Numeric column the figures are of (e.g. latency_ms).")
    String value;

    @Option(names = "--window", required = true, paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "Window length, e.g. 1h.")
    Duration window;

    @Option(names = "--slide", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "A window starts every SLIDE, e.g. 1m (default: --window, tumbling).")
    Duration slide;

    @Option(names = "--watermark", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How late (event time) an event may arrive, e.g. 10m.")
    Duration watermark;

    @Option(names = "--mode", required = true, paramLabel = "append|update", description = "append: each window once, final; update: windows as they change.")
    String mode;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table of windows, local or any Hadoop file system URI (quarantine: DIR_quarantine).")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        AggregateApp.Options options = options();
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-aggregate");
        EventInput in = EventInput.jsonLines(spark, input, time, stream.maxFilesPerBatch(), List.of(key));
        URI checkpoint = Storage.child(stream.checkpointOr(Storage.sibling(output, "_checkpoint")), "windows");
        // pane state is indexed by the window geometry, per key and value column: a restart must not change them
        StateOptions.of("aggregate").with("--key", key).with("--time", time).with("--value", value)
                .with("--window", window).with("--slide", slide == null ? window : slide).with("--mode", options.mode())
                .check(spark.sparkContext().hadoopConfiguration(), Storage.text(checkpoint));
        String quarantine = Storage.text(Storage.sibling(output, "_quarantine"));
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> List.of(
                AggregateApp.start(spark, in.events(), options, checkpoint, stream.trigger(),
                        QuarantineTable.of(quarantine, in))));
        System.err.println("windows table: " + Storage.text(output) + "  quarantine: " + quarantine);
    }

    AggregateApp.Options options() {
        ConfigException.check("jsonl".equalsIgnoreCase(format), "--format: only jsonl is supported, got '" + format + "'");
        SlidingWindow w = slide == null ? SlidingWindow.tumbling(window) : SlidingWindow.of(window, slide);
        return AggregateApp.Options.of(key, time, value, w, watermark, EmitMode.parse(mode), output);
    }

    public static void main(String[] args) {
        Cli.main(new AggregateCommand(), args);
    }
}
