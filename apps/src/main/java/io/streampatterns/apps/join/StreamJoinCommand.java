package io.streampatterns.apps.join;

import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.Storage;
import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.apps.cli.StreamCommandOptions;
import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.joins.StreamStreamJoin;
import io.streampatterns.joins.TimeRange;
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

/** {@code streampatterns join stream}: stream–stream time-range join. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Stream-stream join: two streams on a key within a time range.",
                "A right event matches a left event with the same key when right time is in [left time + LOWER, left time"
                        + " + UPPER] (inclusive). Both sides get the watermark; state is dropped once the watermark passes the"
                        + " range. Output: the key column, then every other column of each side prefixed left_ / right_. With"
                        + " --type left-outer a left event without a match is written with nulls on the right once the"
                        + " watermark guarantees no match can come."})
public final class StreamJoinCommand implements Runnable {
    /** CLI names of the join types. */
    enum JoinType {
        inner(StreamStreamJoin.Type.INNER), left_outer(StreamStreamJoin.Type.LEFT_OUTER);

        final StreamStreamJoin.Type type;

        JoinType(StreamStreamJoin.Type type) {
            this.type = type;
        }
    }

    @Option(names = "--left", required = true, paramLabel = "DIR", description = "Left events (JSON lines), e.g. impressions.")
    Path left;

    @Option(names = "--right", required = true, paramLabel = "DIR", description = "Right events (JSON lines), e.g. clicks.")
    Path right;

    @Option(names = "--key", required = true, paramLabel = "COL", description = "Join key, same column name on both sides.")
    String key;

    @Option(names = "--left-time", required = true, paramLabel = "COL", description = "Event time of the left side (ISO-8601 or epoch ms).")
    String leftTime;

    @Option(names = "--right-time", required = true, paramLabel = "COL", description = "Event time of the right side.")
    String rightTime;

    @Option(names = "--right-between", required = true, paramLabel = "LOWER,UPPER",
            description = "Range of right time relative to left time, bounds inclusive, e.g. -5s,10s or 0s,10m.")
    String between;

    @Option(names = "--watermark", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How late an event may arrive (both sides), e.g. 5m.")
    Duration watermark;

    @Option(names = "--type", paramLabel = "inner|left-outer", defaultValue = "inner",
            converter = JoinTypeConverter.class, description = "Join type (default: ${DEFAULT-VALUE}).")
    JoinType type;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Delta table to append to, local or any Hadoop file system URI.")
    URI output;

    @Mixin
    StreamCommandOptions stream;

    @Override
    public void run() {
        StreamStreamJoin.Options options = options();
        JoinOutput out = JoinOutput.of(output, stream.checkpointOr(null));
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-join-stream");
        JoinInputs inputs = new JoinInputs(spark, stream);
        var l = inputs.add("left", left, leftTime).events();
        var r = inputs.add("right", right, rightTime).events();
        StreamRunner.run(spark, stream.once(), null, stream.watch(), () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            queries.add(StreamJoinApp.start(spark, l, r, options, out, stream.trigger(), inputs.quarantine(out)));
            return queries;
        });
        System.err.println("joined: " + Storage.text(out.table()) + "  quarantine: " + Storage.text(out.quarantine()));
    }

    StreamStreamJoin.Options options() {
        return StreamStreamJoin.Options.of(key, EventTime.of(leftTime, watermark), EventTime.of(rightTime, watermark),
                TimeRange.parse(between, "--right-between")).withType(type.type);
    }

    /** Accepts {@code inner}, {@code left-outer} (and {@code left_outer}). */
    static final class JoinTypeConverter implements picocli.CommandLine.ITypeConverter<JoinType> {
        @Override
        public JoinType convert(String value) {
            try {
                return JoinType.valueOf(value.trim().toLowerCase().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected inner or left-outer, got '" + value + "'");
            }
        }
    }
}
