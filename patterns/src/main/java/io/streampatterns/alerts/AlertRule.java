package io.streampatterns.alerts;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * One alert rule: a SQL boolean {@code condition} over an interval's metrics that must hold for {@code for}
 * (consecutive intervals) before the alert fires; it resolves at the first interval where the condition no longer
 * holds. Immutable.
 *
 * <pre>{@code
 * AlertRule.when("high-5xx-rate", "errors_5xx / requests > 0.05").holdsFor(Duration.ofMinutes(3))
 *         .severity("critical").value("errors_5xx / requests");
 * AlertRule.when("no-traffic", "requests = 0").holdsFor(Duration.ofMinutes(5)).appliesTo("endpoint = '*'");
 * }</pre>
 *
 * <p>The condition is Spark SQL over the series' columns; NULL counts as false (e.g. a ratio over zero requests).
 * Intervals without a row are evaluated on the "empty interval" the {@link AlertOptions} describe, so that
 * "no traffic for 5 minutes" fires although no row says so.</p>
 */
public final class AlertRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String condition;
    private final Duration holdsFor;
    private final String severity;
    private final String appliesTo;
    private final String value;

    private AlertRule(String name, String condition, Duration holdsFor, String severity, String appliesTo, String value) {
        this.name = name;
        this.condition = condition;
        this.holdsFor = holdsFor;
        this.severity = severity;
        this.appliesTo = appliesTo;
        this.value = value;
    }

    /** A rule named {@code name} that fires as soon as {@code condition} holds for one interval, severity "warning". */
    public static AlertRule when(String name, String condition) {
        ConfigException.check(name != null && name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
                "alert rule name must be 1-64 letters, digits, '_', '.', '-', got '" + name + "'");
        ConfigException.check(condition != null && !condition.isBlank(), "alert rule '" + name + "': a condition is required");
        return new AlertRule(name, condition, Duration.ZERO, "warning", null, null);
    }

    /** How long the condition must hold (a whole number of intervals; zero or one interval fires at once). */
    public AlertRule holdsFor(Duration d) {
        ConfigException.check(d != null && !d.isNegative(), "alert rule '" + name + "': 'for' must be zero or positive, got " + d);
        return new AlertRule(name, condition, d, severity, appliesTo, value);
    }

    public AlertRule severity(String s) {
        ConfigException.check(s != null && s.matches("[A-Za-z]+"), "alert rule '" + name + "': severity must be a word, got '" + s + "'");
        return new AlertRule(name, condition, holdsFor, s.toLowerCase(Locale.ROOT), appliesTo, value);
    }

    /** A SQL condition on the key columns selecting the series this rule watches (default: all). */
    public AlertRule appliesTo(String keyCondition) {
        ConfigException.check(keyCondition == null || !keyCondition.isBlank(), "alert rule '" + name + "': empty appliesTo");
        return new AlertRule(name, condition, holdsFor, severity, keyCondition, value);
    }

    /** A SQL numeric expression reported with each alert event (e.g. the observed ratio). */
    public AlertRule value(String expression) {
        ConfigException.check(expression == null || !expression.isBlank(), "alert rule '" + name + "': empty value");
        return new AlertRule(name, condition, holdsFor, severity, appliesTo, expression);
    }

    public String name() {
        return name;
    }

    public String condition() {
        return condition;
    }

    public Duration holdsFor() {
        return holdsFor;
    }

    public String severity() {
        return severity;
    }

    /** The key condition, or null for every series. */
    public String appliesTo() {
        return appliesTo;
    }

    /** The reported value expression, or null. */
    public String value() {
        return value;
    }

    /** Consecutive intervals of {@code step} the condition must hold: at least one. */
    int intervals(Duration step) {
        long n = (holdsFor.toMillis() + step.toMillis() - 1) / step.toMillis();
        ConfigException.check(holdsFor.toMillis() % step.toMillis() == 0, "alert rule '" + name + "': 'for' ("
                + Durations.format(holdsFor) + ") must be a whole number of intervals (" + Durations.format(step) + ")");
        return (int) Math.max(1, n);
    }

    @Override
    public String toString() {
        return name + ": " + condition + " for " + Durations.format(holdsFor) + " (" + severity + ")";
    }
}
