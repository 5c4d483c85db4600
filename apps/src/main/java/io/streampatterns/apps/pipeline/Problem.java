package io.streampatterns.apps.pipeline;

import java.util.Objects;

/**
 * One mistake in a pipeline's files, as {@code validate} prints it: {@code file:line: problem — fix}. The line is
 * 1-based; 0 when the problem concerns the file as a whole.
 */
public record Problem(String file, int line, String problem, String fix) implements Comparable<Problem> {
    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + oneLine(problem) + " — " + oneLine(fix);
    }

    @Override
    public int compareTo(Problem o) {
        int c = file.compareTo(o.file);
        return c != 0 ? c : Integer.compare(line, o.line);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
