package io.streampatterns.aggregate;

import io.streampatterns.core.ConfigException;

/**
 * The built-in aggregates, all exactly mergeable (the sketches merge with their usual error bounds), for the pane
 * windows and the sessionizer alike.
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
 *   <tr><td>{@link #first(String, String)}, {@link #last(String, String)}</td><td>the value (as text) of the earliest /
 *       latest event, null if it has none</td></tr>
 *   <tr><td>{@link #firstNonNull(String, String)}, {@link #lastNonNull(String, String)}</td><td>the value (as text) of
 *       the earliest / latest event that has one</td></tr>
 * </table>
 *
 * <p>The {@code prefix} variants prepend a prefix to the column names (e.g. {@code bytes_sum}).</p>
 */
public final class Aggregates {
    private Aggregates() {
    }

    /** Events per window or session, as {@code count}. */
    public static Aggregate<?> count() {
        return new CountAggregate("count");
    }

    /** Events per window or session, as column {@code name}. */
    public static Aggregate<?> count(String name) {
        return new CountAggregate(requireName(name, "count column name"));
    }

    /** Sum of numeric {@code column}, as {@code sum} (cheaper than {@link #stats} when the sum is all you need). */
    public static Aggregate<?> sum(String column) {
        return sum(column, "sum");
    }

    /** Sum of numeric {@code column}, as column {@code name}. */
    public static Aggregate<?> sum(String column, String name) {
        return new SumAggregate(requireName(column, "sum column"), requireName(name, "sum column name"));
    }

    /** Sum, min, max, mean, variance and standard deviation of numeric {@code column}. */
    public static Aggregate<?> stats(String column) {
        return stats(column, "");
    }

    public static Aggregate<?> stats(String column, String prefix) {
        return new StatsAggregate(requireName(column, "stats column"), prefix(prefix));
    }

    /** Approximate distinct count of {@code column}'s values (any type), as {@code distinct}. */
    public static Aggregate<?> distinct(String column) {
        return distinct(column, "");
    }

    public static Aggregate<?> distinct(String column, String prefix) {
        return new DistinctAggregate(requireName(column, "distinct column"), prefix(prefix));
    }

    /** Approximate quantiles of numeric {@code column} at {@code ranks} in [0, 1], as {@code p50}, {@code p99_9}, ... */
    public static Aggregate<?> quantiles(String column, double... ranks) {
        return quantiles(column, "", ranks);
    }

    public static Aggregate<?> quantiles(String column, String prefix, double... ranks) {
        return new QuantilesAggregate(requireName(column, "quantiles column"), prefix(prefix), ranks);
    }

    /** The value of {@code column} (as text) of the earliest event, as column {@code name}; null if that event has none. */
    public static Aggregate<?> first(String column, String name) {
        return new FirstAggregate(requireName(column, "first column"), requireName(name, "first column name"), false, false);
    }

    /** The value of {@code column} (as text) of the latest event, as column {@code name}; null if that event has none. */
    public static Aggregate<?> last(String column, String name) {
        return new FirstAggregate(requireName(column, "last column"), requireName(name, "last column name"), true, false);
    }

    /** The earliest non-null value of {@code column} (as text), as column {@code name}. */
    public static Aggregate<?> firstNonNull(String column, String name) {
        return new FirstAggregate(requireName(column, "first column"), requireName(name, "first column name"), false, true);
    }

    /** The latest non-null value of {@code column} (as text), as column {@code name}. */
    public static Aggregate<?> lastNonNull(String column, String name) {
        return new FirstAggregate(requireName(column, "last column"), requireName(name, "last column name"), true, true);
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
