package io.streampatterns.windows;

import io.streampatterns.core.ConfigException;

/**
 * The built-in pane aggregates, all exactly mergeable (the sketches merge with their usual error bounds).
 *
 * <table>
 *   <caption>Built-in aggregates and the columns they add</caption>
 *   <tr><th>factory</th><th>columns</th></tr>
 *   <tr><td>{@link #count()}</td><td>{@code count} (events, like {@code count(*)})</td></tr>
 *   <tr><td>{@link #sum(String)}</td><td>{@code sum} of the non-null values (null if none)</td></tr>
 *   <tr><td>{@link #stats(String)}</td><td>{@code sum, min, max, mean, variance, stddev} of the non-null values
 *       (sample variance and deviation, like Spark's {@code variance}/{@code stddev}; null below two values)</td></tr>
 *   <tr><td>{@link #distinct(String)}</td><td>{@code distinct}: distinct non-null values, DataSketches HLL
 *       (lgK 12, relative standard error about 1.6%)</td></tr>
 *   <tr><td>{@link #quantiles(String, double...)}</td><td>{@code p50, p95, ...}: DataSketches KLL (k 200,
 *       normalized rank error about 1.3%)</td></tr>
 * </table>
 *
 * <p>The {@code prefix} variants prepend a prefix to the column names (e.g. {@code bytes_sum}).</p>
 */
public final class Aggregates {
    private Aggregates() {
    }

    /** Events per window, as {@code count}. */
    public static PaneAggregate<?> count() {
        return new CountAggregate("count");
    }

    /** Events per window, as column {@code name}. */
    public static PaneAggregate<?> count(String name) {
        return new CountAggregate(requireName(name, "count column name"));
    }

    /** Sum of numeric {@code column}, as {@code sum} (cheaper than {@link #stats} when the sum is all you need). */
    public static PaneAggregate<?> sum(String column) {
        return sum(column, "sum");
    }

    /** Sum of numeric {@code column}, as column {@code name}. */
    public static PaneAggregate<?> sum(String column, String name) {
        return new SumAggregate(requireName(column, "sum column"), requireName(name, "sum column name"));
    }

    /** Sum, min, max, mean, variance and standard deviation of numeric {@code column}. */
    public static PaneAggregate<?> stats(String column) {
        return stats(column, "");
    }

    public static PaneAggregate<?> stats(String column, String prefix) {
        return new StatsAggregate(requireName(column, "stats column"), prefix(prefix));
    }

    /** Approximate distinct count of {@code column}'s values (any type), as {@code distinct}. */
    public static PaneAggregate<?> distinct(String column) {
        return distinct(column, "");
    }

    public static PaneAggregate<?> distinct(String column, String prefix) {
        return new DistinctAggregate(requireName(column, "distinct column"), prefix(prefix));
    }

    /** Approximate quantiles of numeric {@code column} at {@code ranks} in [0, 1], as {@code p50}, {@code p99_9}, ... */
    public static PaneAggregate<?> quantiles(String column, double... ranks) {
        return quantiles(column, "", ranks);
    }

    public static PaneAggregate<?> quantiles(String column, String prefix, double... ranks) {
        return new QuantilesAggregate(requireName(column, "quantiles column"), prefix(prefix), ranks);
    }

    private static String requireName(String name, String what) {
        ConfigException.check(name != null && !name.isBlank(), what + " is required");
        return name;
    }

    private static String prefix(String prefix) {
        ConfigException.check(prefix != null, "prefix must not be null (use \"\")");
        return prefix;
    }
}
