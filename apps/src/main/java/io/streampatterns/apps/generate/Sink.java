package io.streampatterns.apps.generate;

/** Where a {@link Generator} writes: its main stream of lines, and named side streams (e.g. late fraud labels). */
public interface Sink {
    /** Writes one line (without its line terminator) to this stream. */
    void write(String line);

    /** The side stream {@code name} (in files: the subdirectory {@code name}); the same instance on every call. */
    Sink side(String name);
}
