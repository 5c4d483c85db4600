package io.streampatterns.sessions;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * How the events of one key are cut into sessions; immutable. Every rule but the inactivity gap is optional,
 * and the rules combine (a session ends at the first rule that ends it).
 *
 * <ul>
 *   <li><b>gap</b> (default 30 min): an event at most {@code gap} after the session's last event joins it
 *       (inclusive, as Spark's {@code session_window}); with {@link #withGapColumn} each event brings its own gap
 *       (a number of milliseconds or a duration text such as {@code 10m}; null falls back to the static gap;
 *       rows with a gap &le; 0 are ignored, as Spark does);</li>
 *   <li><b>max duration</b>: a session lasts at most this long after its first event; an event exactly
 *       {@code max} after the start still belongs to it, a later one starts a new session;</li>
 *   <li><b>close event</b>: a SQL predicate (e.g. {@code type = 'logout'}); the matching event belongs to
 *       the session and ends it;</li>
 *   <li><b>split at local midnight</b> in a time zone: a session never spans a local midnight;</li>
 *   <li><b>split on a column</b>: a new session starts when the column's value changes from one event to
 *       the next (in event-time order; null is a value).</li>
 * </ul>
 * Whose sessions they are, the event time and what is computed per session are {@link SessionOptions}.
 *
 * <pre>{@code
 * SessionRules rules = SessionRules.gap(Duration.ofMinutes(30))
 *         .withCloseWhen("type = 'logout'")
 *         .withSplitAtMidnight(ZoneId.of("Europe/Paris"));
 * }</pre>
 */
public final class SessionRules implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The default inactivity gap, as Google Analytics. */
    public static final Duration DEFAULT_GAP = Duration.ofMinutes(30);
    private static final SessionRules DEFAULTS = new SessionRules(DEFAULT_GAP, null, null, null, null, null);

    private final Duration gap;
    private final String gapColumn;
    private final Duration maxDuration;
    private final String closeWhen;
    private final ZoneId midnightZone;
    private final String splitOn;

    private SessionRules(Duration gap, String gapColumn, Duration maxDuration, String closeWhen, ZoneId midnightZone,
                         String splitOn) {
        this.gap = gap;
        this.gapColumn = gapColumn;
        this.maxDuration = maxDuration;
        this.closeWhen = closeWhen;
        this.midnightZone = midnightZone;
        this.splitOn = splitOn;
    }

    /** The inactivity gap of 30 minutes alone. */
    public static SessionRules defaults() {
        return DEFAULTS;
    }

    /** The inactivity gap {@code gap} (strictly positive) alone. */
    public static SessionRules gap(Duration gap) {
        return DEFAULTS.withGap(gap);
    }

    /** The same rules with another static inactivity gap (strictly positive). */
    public SessionRules withGap(Duration gap) {
        ConfigException.check(gap != null && !gap.isZero() && !gap.isNegative(), "sessions: gap must be a positive duration, got " + gap);
        return new SessionRules(gap, gapColumn, maxDuration, closeWhen, midnightZone, splitOn);
    }

    /** The same rules with a per-event gap read from {@code column} (milliseconds, or text like {@code 10m}). */
    public SessionRules withGapColumn(String column) {
        return new SessionRules(gap, name(column, "gap column"), maxDuration, closeWhen, midnightZone, splitOn);
    }

    /** The same rules where a session lasts at most {@code max} after its first event. */
    public SessionRules withMaxDuration(Duration max) {
        ConfigException.check(max != null && !max.isZero() && !max.isNegative(), "sessions: max duration must be a positive duration, got " + max);
        return new SessionRules(gap, gapColumn, max, closeWhen, midnightZone, splitOn);
    }

    /** The same rules where an event matching the SQL {@code predicate} (e.g. {@code type = 'logout'}) ends its session. */
    public SessionRules withCloseWhen(String predicate) {
        return new SessionRules(gap, gapColumn, maxDuration, name(predicate, "close predicate"), midnightZone, splitOn);
    }

    /** The same rules where sessions are split at local midnight in {@code zone}. */
    public SessionRules withSplitAtMidnight(ZoneId zone) {
        ConfigException.check(zone != null, "sessions: a time zone is required to split at midnight");
        return new SessionRules(gap, gapColumn, maxDuration, closeWhen, zone, splitOn);
    }

    /** {@link #withSplitAtMidnight(ZoneId)} with a zone id such as {@code Europe/Paris} or {@code UTC}. */
    public SessionRules withSplitAtMidnight(String zoneId) {
        try {
            return withSplitAtMidnight(ZoneId.of(name(zoneId, "time zone")));
        } catch (DateTimeException e) {
            throw new ConfigException("sessions: unknown time zone '" + zoneId + "' (use e.g. UTC, Europe/Paris)");
        }
    }

    /** The same rules where a new session starts when {@code column} changes value. */
    public SessionRules withSplitOn(String column) {
        return new SessionRules(gap, gapColumn, maxDuration, closeWhen, midnightZone, name(column, "split column"));
    }

    public Duration gap() {
        return gap;
    }

    public Optional<String> gapColumn() {
        return Optional.ofNullable(gapColumn);
    }

    public Optional<Duration> maxDuration() {
        return Optional.ofNullable(maxDuration);
    }

    public Optional<String> closeWhen() {
        return Optional.ofNullable(closeWhen);
    }

    public Optional<ZoneId> midnightZone() {
        return Optional.ofNullable(midnightZone);
    }

    public Optional<String> splitOn() {
        return Optional.ofNullable(splitOn);
    }

    /**
     * Whether a rule can cut a session inside the run of its events (close event, max duration, field change):
     * then a late event may split a session, so the events of open sessions are kept in state. With the gap
     * and midnight rules alone, sessions only grow or merge and their aggregates are enough.
     */
    public boolean needsEventReplay() {
        return maxDuration != null || closeWhen != null || splitOn != null;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("gap ")
                .append(gapColumn != null ? gapColumn + " (else " + Durations.format(gap) + ")" : Durations.format(gap));
        if (maxDuration != null) b.append(", max ").append(Durations.format(maxDuration));
        if (closeWhen != null) b.append(", close when ").append(closeWhen);
        if (midnightZone != null) b.append(", split at midnight ").append(midnightZone);
        if (splitOn != null) b.append(", split on ").append(splitOn);
        return b.toString();
    }

    static String name(String value, String what) {
        ConfigException.check(value != null && !value.isBlank(), "sessions: " + what + " must not be empty");
        return value.trim();
    }
}
