package io.streampatterns.apps.cli;

import io.streampatterns.dashboard.WatchOptions;
import org.apache.spark.sql.streaming.Trigger;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;

/** Options shared by every streaming command: {@code --once}, {@code --checkpoint}, {@code --max-files-per-batch}. */
public final class StreamCommandOptions {
    @Option(names = "--once", description = "Process everything available now, then exit (Trigger.AvailableNow): backfills and tests.")
    boolean once;

    @Option(names = "--checkpoint", paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Checkpoint directory, local or any Hadoop file system URI (default: beside the output). Same checkpoint = resume.")
    URI checkpoint;

    @Option(names = "--max-files-per-batch", paramLabel = "N", defaultValue = "0",
            description = "Input files per micro-batch, taken in name order (0 = all available). 1 makes each file one batch.")
    int maxFilesPerBatch;

    @Option(names = "--trigger-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Micro-batch interval when running continuously (default: ${DEFAULT-VALUE}; 0s = as fast as data arrives).")
    Duration triggerInterval;

    public boolean once() {
        return once;
    }

    public int maxFilesPerBatch() {
        return maxFilesPerBatch;
    }

    /** The checkpoint directory given, or {@code fallback}. */
    public URI checkpointOr(URI fallback) {
        return checkpoint != null ? checkpoint : fallback;
    }

    /**
     * What the progress display and progress files warn about: the trigger interval of {@link #trigger()} (none with
     * {@code --once} or {@code --trigger-interval 0s}, where only the rates tell a query that falls behind).
     */
    public WatchOptions watch() {
        return WatchOptions.defaults().withTriggerInterval(once ? Duration.ZERO : triggerInterval);
    }

    public Trigger trigger() {
        if (once) {
            return Trigger.AvailableNow();
        }
        return Trigger.ProcessingTime(triggerInterval.toMillis());
    }
}
