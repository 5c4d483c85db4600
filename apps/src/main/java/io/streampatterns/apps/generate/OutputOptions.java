package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;

import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how fast to write: the directory, the number of events, the lines per part file and, for a live
 * stream, the rate in events per second. Immutable; start from {@link #of(Path, long)}.
 */
public final class OutputOptions {
    public static final int DEFAULT_EVENTS_PER_FILE = 100_000;
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*s)?");

    private final Path dir;
    private final long events;
    private final int eventsPerFile;
    private final double rate;

    private OutputOptions(Path dir, long events, int eventsPerFile, double rate) {
        ConfigException.check(dir != null, "--out: a directory is required");
        ConfigException.check(events > 0, "--events must be positive, got " + events);
        ConfigException.check(eventsPerFile > 0, "--events-per-file must be positive, got " + eventsPerFile);
        this.dir = dir;
        this.events = events;
        this.eventsPerFile = eventsPerFile;
        this.rate = rate;
    }

    /** {@code events} events into {@code dir}, {@value #DEFAULT_EVENTS_PER_FILE} per file, as fast as possible. */
    public static OutputOptions of(Path dir, long events) {
        return new OutputOptions(dir, events, DEFAULT_EVENTS_PER_FILE, 0);
    }

    public OutputOptions withEventsPerFile(int eventsPerFile) {
        return new OutputOptions(dir, events, eventsPerFile, rate);
    }

    /** A live stream of {@code eventsPerSecond}: small files, about one per second. */
    public OutputOptions withRate(double eventsPerSecond) {
        ConfigException.check(eventsPerSecond > 0 && Double.isFinite(eventsPerSecond),
                "--rate must be a positive number of events per second, got " + eventsPerSecond);
        return new OutputOptions(dir, events, eventsPerFile, eventsPerSecond);
    }

    /** Parses a rate such as {@code 500}, {@code 500/s} or {@code 2.5/s}. */
    public static double parseRate(String text) {
        Matcher m = RATE.matcher(text == null ? "" : text.trim());
        ConfigException.check(m.matches(), "--rate: cannot parse '" + text + "' (use events per second, e.g. 500 or 500/s)");
        double rate = Double.parseDouble(m.group(1));
        ConfigException.check(rate > 0, "--rate must be positive, got '" + text + "'");
        return rate;
    }

    public Path dir() {
        return dir;
    }

    public long events() {
        return events;
    }

    public int eventsPerFile() {
        return eventsPerFile;
    }

    /** Events per second of a live stream; empty when writing as fast as possible. */
    public OptionalDouble rate() {
        return rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty();
    }

    /** Lines per part file: when live, one second's worth (at least one) so a file appears about every second. */
    int linesPerFile() {
        return rate > 0 ? (int) Math.min(eventsPerFile, Math.max(1, (long) Math.ceil(rate))) : eventsPerFile;
    }
}
