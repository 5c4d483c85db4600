package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.broadcast;

/**
 * Stream–static join: enriches each event with the current row of a Delta dimension table, read afresh at every
 * micro-batch, so an update to the table is visible from the next batch on.
 *
 * <p>The static side is the Delta path itself, not a DataFrame read once: Delta resolves the table's latest
 * snapshot each time a micro-batch is planned. The well-known trap is a static side that is not re-read: a
 * {@code cache()}d or collected DataFrame, or a plain Parquet directory (its file listing is taken once when the
 * query starts) silently keeps serving the old rows. ({@code cache()} is refreshed when this same Spark
 * application writes the table, which hides the trap in tests; another application's writes are not seen.) There is no versioning: an event joins whatever the table
 * holds when its batch runs (use {@link TemporalJoin} for the version valid at the event's time).</p>
 *
 * <p>Output: every event column, then every dimension column except the key, prefixed ({@code dim_} by default).
 * Left outer by default: an event whose key is not in the table keeps its row with nulls. Broadcast the table
 * ({@link Options#withBroadcast()}) when it is small (up to some tens of MB): no shuffle of the stream.</p>
 *
 * <pre>{@code
 * Dataset<Row> enriched = DeltaDimensionJoin.of(DeltaDimensionJoin.Options.of("/lake/users", "user_id").withBroadcast())
 *         .apply(clicks);
 * }</pre>
 */
public final class DeltaDimensionJoin implements Step {
    static final String NAME = "static_join";

    /** The static side: the Delta table of the options ({@code null}), or a given Dataset. */
    private final Dataset<Row> dimension;
    private final Options options;

    private DeltaDimensionJoin(Dataset<Row> dimension, Options options) {
        this.dimension = dimension;
        this.options = options;
    }

    /** The enrichment step; the table must exist when the step is applied (its schema shapes the output). */
    public static Step of(Options options) {
        Objects.requireNonNull(options, "options");
        return new DeltaDimensionJoin(null, options);
    }

    /**
     * The same join with any static side, e.g. to compare with a cached snapshot; only a side that is re-read per
     * batch (a Delta path, as {@link #of} uses) sees updates.
     */
    public static Step withStatic(Dataset<Row> dimension, Options options) {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(options, "options");
        return new DeltaDimensionJoin(dimension, options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> events) {
        return join(events, dimension != null ? dimension : dimension(events.sparkSession(), options.path), options);
    }

    /** Options; immutable. */
    public static final class Options {
        private final String path;
        private final String key;
        private final String prefix;
        private final boolean broadcast;
        private final boolean inner;

        private Options(String path, String key, String prefix, boolean broadcast, boolean inner) {
            this.path = path;
            this.key = key;
            this.prefix = prefix;
            this.broadcast = broadcast;
            this.inner = inner;
        }

        /** A left-outer join with the Delta table at {@code path} on {@code key} (same name on both sides). */
        public static Options of(String path, String key) {
            ConfigException.check(path != null && !path.isBlank(), "static join: a Delta table path is required");
            ConfigException.check(key != null && !key.isBlank(), "static join: a key column is required");
            return new Options(path, key, TemporalJoin.DIM_PREFIX, false, false);
        }

        /** Hints Spark to broadcast the table to every task (for small tables). */
        public Options withBroadcast() {
            return new Options(path, key, prefix, true, inner);
        }

        /** Drops events whose key is not in the table. */
        public Options innerOnly() {
            return new Options(path, key, prefix, broadcast, true);
        }

        /** Prefix of the dimension columns in the output; may be empty if the names do not clash. */
        public Options withPrefix(String p) {
            return new Options(path, key, Objects.requireNonNull(p, "prefix"), broadcast, inner);
        }

        public String path() {
            return path;
        }
    }

    private static Dataset<Row> dimension(SparkSession spark, String path) {
        try {
            return spark.read().format("delta").load(path);
        } catch (Exception e) { // AnalysisException is checked in Java's eyes
            throw new ConfigException("static join: cannot read Delta table at " + path + ": "
                    + String.valueOf(e.getMessage()).split("\\R")[0], e);
        }
    }

    private static Dataset<Row> join(Dataset<Row> events, Dataset<Row> dim, Options o) {
        Columns.require(events, "events", o.key);
        Columns.require(dim, "dimension " + o.path, o.key);
        List<Column> cols = new ArrayList<>();
        cols.add(dim.col(o.key).as("__dim_key"));
        for (String c : dim.columns()) {
            if (!c.equals(o.key)) {
                cols.add(dim.col(c).as(o.prefix + c));
            }
        }
        Dataset<Row> d = dim.select(cols.toArray(new Column[0]));
        Dataset<Row> side = o.broadcast ? broadcast(d) : d;
        Column cond = events.col(o.key).equalTo(side.col("__dim_key"));
        return events.join(side, cond, o.inner ? "inner" : "left_outer").drop("__dim_key");
    }
}
