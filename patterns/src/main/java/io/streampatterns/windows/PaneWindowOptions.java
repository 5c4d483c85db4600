package io.streampatterns.windows;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;

import java.time.Duration;
import java.util.List;

/**
 * What {@link PaneWindowAggregation} computes: the window, the key columns, the event time (column and lateness,
 * see {@link EventTime} for the watermark rule), the aggregates and when windows are emitted. Immutable; every
 * {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * PaneWindowOptions opts = PaneWindowOptions.of(SlidingWindow.of(Duration.ofHours(1), Duration.ofMinutes(1)))
 *         .keyedBy("user")
 *         .eventTime(EventTime.of("ts", Duration.ofMinutes(10)))
 *         .aggregates(Aggregates.count(), Aggregates.stats("amount"), Aggregates.quantiles("latency", 0.5, 0.99))
 *         .emit(EmitMode.UPDATE);
 * }</pre>
 */
public final class PaneWindowOptions {
    /** The default name of the observed metrics ({@code late_events}, {@code windows}). */
    public static final String DEFAULT_METRIC_NAME = "pane_windows";

    private final List<SlidingWindow> windows;
    private final List<String> keys;
    private final EventTime time;
    private final List<Aggregate<?>> aggregates;
    private final EmitMode mode;
    private final String metricName;

    private PaneWindowOptions(List<SlidingWindow> windows, List<String> keys, EventTime time,
                              List<Aggregate<?>> aggregates, EmitMode mode, String metricName) {
        this.windows = windows;
        this.keys = keys;
        this.time = time;
        this.aggregates = aggregates;
        this.mode = mode;
        this.metricName = metricName;
    }

    /** Options for {@code window}; keys, event time and aggregates must still be given. Emits in append mode. */
    public static PaneWindowOptions of(SlidingWindow window) {
        ConfigException.check(window != null, "window is required");
        return new PaneWindowOptions(List.of(window), List.of(), null, List.of(), EmitMode.APPEND, DEFAULT_METRIC_NAME);
    }

    /**
     * Options for several window lengths computed in one pass over the same panes (the gcd of all sizes and slides),
     * e.g. per minute, 5 min every 1 min and 1 h every 1 min for a dashboard: each event is still aggregated once.
     * The lengths must differ, so that (key, window_start, window_end) names one window; tell them apart by
     * {@code window_end - window_start}.
     */
    public static PaneWindowOptions of(List<SlidingWindow> windows) {
        ConfigException.check(windows != null && !windows.isEmpty(), "at least one window is required");
        java.util.Set<Duration> sizes = new java.util.HashSet<>();
        for (SlidingWindow w : windows) {
            ConfigException.check(w != null, "windows must not be null");
            ConfigException.check(sizes.add(w.size()), "two windows of the same length (" + Durations.format(w.size())
                    + "): their rows could not be told apart");
        }
        return new PaneWindowOptions(List.copyOf(windows), List.of(), null, List.of(), EmitMode.APPEND, DEFAULT_METRIC_NAME);
    }

    /** The key columns: windows are computed per distinct combination of their values. */
    public PaneWindowOptions keyedBy(String... columns) {
        ConfigException.check(columns != null && columns.length > 0, "at least one key column is required");
        for (String c : columns) {
            ConfigException.check(c != null && !c.isBlank(), "key column names must not be blank");
        }
        return new PaneWindowOptions(windows, List.of(columns), time, aggregates, mode, metricName);
    }

    /** The TIMESTAMP event-time column and how late (behind the newest event seen) events are still counted. */
    public PaneWindowOptions eventTime(EventTime eventTime) {
        ConfigException.check(eventTime != null, "event time is required");
        return new PaneWindowOptions(windows, keys, eventTime, aggregates, mode, metricName);
    }

    /** The aggregates, in output column order (replaces earlier ones). */
    public PaneWindowOptions aggregates(Aggregate<?>... list) {
        ConfigException.check(list != null && list.length > 0, "at least one aggregate is required");
        return new PaneWindowOptions(windows, keys, time, List.of(list), mode, metricName);
    }

    public PaneWindowOptions emit(EmitMode emitMode) {
        ConfigException.check(emitMode != null, "emit mode is required");
        return new PaneWindowOptions(windows, keys, time, aggregates, emitMode, metricName);
    }

    /** The step's name, under which the query's progress reports the observed metrics (unique per query). */
    public PaneWindowOptions metricName(String name) {
        ConfigException.check(name != null && !name.isBlank(), "metric name must not be blank");
        return new PaneWindowOptions(windows, keys, time, aggregates, mode, name);
    }

    /** The window lengths, in the order given. */
    public List<SlidingWindow> windows() {
        return windows;
    }

    public List<String> keys() {
        return keys;
    }

    public EventTime eventTime() {
        return time;
    }

    public List<Aggregate<?>> aggregates() {
        return aggregates;
    }

    public EmitMode mode() {
        return mode;
    }

    public String metricName() {
        return metricName;
    }

    /** Checks that every required part is set. */
    void checkComplete() {
        ConfigException.check(!keys.isEmpty(), "pane windows: key columns are required (keyedBy)");
        ConfigException.check(time != null, "pane windows: the event time is required (eventTime)");
        ConfigException.check(!aggregates.isEmpty(), "pane windows: at least one aggregate is required (aggregates)");
    }

    @Override
    public String toString() {
        return "PaneWindowOptions{" + windows + ", keys=" + keys + ", time=" + time + ", aggregates=" + aggregates.size()
                + ", mode=" + mode + ", metric=" + metricName + "}";
    }
}
