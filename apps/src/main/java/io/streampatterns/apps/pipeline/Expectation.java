package io.streampatterns.apps.pipeline;

import java.util.Locale;

/**
 * A data-quality expectation of a streaming table, in the Databricks syntax: {@code CONSTRAINT name EXPECT (condition)
 * [ON VIOLATION DROP ROW | FAIL UPDATE | QUARANTINE]}. Without {@code ON VIOLATION} a violating row is kept and counted
 * ({@link Action#WARN}); {@link Action#QUARANTINE} is ours: the row goes to {@code <table>_quarantine} with the
 * constraint's name as its reason. A row violates the expectation when the condition is not true (false or null).
 */
public record Expectation(String name, String condition, Action action, int line) {
    /** What happens to a row that violates the expectation. */
    public enum Action {
        WARN, DROP_ROW, FAIL_UPDATE, QUARANTINE;

        static Action parse(String text) {
            if (text == null) {
                return WARN;
            }
            return valueOf(text.trim().replaceAll("\\s+", "_").toUpperCase(Locale.ROOT));
        }

        /** As written in SQL. */
        public String sql() {
            return this == WARN ? "(none)" : name().replace('_', ' ');
        }
    }
}
