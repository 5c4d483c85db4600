package io.streampatterns.alerts;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Alerting} watches: a series of closed intervals (one row per key and interval, e.g. the per-minute
 * metrics of each endpoint), its key columns, the interval start as event time (column and how late rows may arrive,
 * see {@link EventTime} for the watermark rule), the interval length, the rules, and what an interval without a row
 * looks like. Immutable.
 *
 * <pre>{@code
 * AlertOptions.of(List.of("endpoint"), EventTime.of("window_start", Duration.ofMinutes(2)), Duration.ofMinutes(1), rules)
 *         .emptyIntervalHas(Map.of("requests", 0L, "errors_5xx", 0L));
 * }</pre>
 */
public final class AlertOptions {
    private final List<String> keys;
    private final EventTime time;
    private final Duration step;
    private final List<AlertRule> rules;
    private final Map<String, Object> empty;

    private AlertOptions(List<String> keys, EventTime time, Duration step, List<AlertRule> rules, Map<String, Object> empty) {
        this.keys = keys;
        this.time = time;
        this.step = step;
        this.rules = rules;
        this.empty = empty;
    }

    /**
     * Rules over the series keyed by {@code keys} whose TIMESTAMP column {@code intervalStart} is the start of an
     * interval of {@code step} (its lateness: how late, in event time, a row may arrive after newer ones; e.g. two
     * intervals). An empty interval has every column null.
     */
    public static AlertOptions of(List<String> keys, EventTime intervalStart, Duration step, List<AlertRule> rules) {
        ConfigException.check(keys != null && !keys.isEmpty(), "alerting: at least one key column is required");
        ConfigException.check(intervalStart != null, "alerting: the interval-start column is required");
        ConfigException.check(step != null && step.toMillis() > 0, "alerting: the interval must be positive, got " + step);
        ConfigException.check(rules != null && !rules.isEmpty(), "alerting: at least one rule is required");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AlertRule r : rules) {
            ConfigException.check(names.add(r.name()), "alert rule '" + r.name() + "' is defined twice");
            r.intervals(step);
        }
        return new AlertOptions(List.copyOf(keys), intervalStart, step, List.copyOf(rules), Map.of());
    }

    /** The column values of an interval without a row (e.g. request counts 0); other columns are null. */
    public AlertOptions emptyIntervalHas(Map<String, Object> values) {
        ConfigException.check(values != null, "alerting: empty-interval values must not be null");
        return new AlertOptions(keys, time, step, rules, new LinkedHashMap<>(values));
    }

    public List<String> keys() {
        return keys;
    }

    /** The interval-start column. */
    public String time() {
        return time.column();
    }

    public EventTime eventTime() {
        return time;
    }

    public Duration step() {
        return step;
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public Map<String, Object> emptyInterval() {
        return empty;
    }
}
