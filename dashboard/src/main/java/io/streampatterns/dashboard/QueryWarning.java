package io.streampatterns.dashboard;

import java.util.Objects;

/**
 * A warning about a running query, with the numbers that raised it: {@code message} is the whole sentence the CLI
 * prints and the dashboard shows, e.g. "sessions falls behind: batch durations 12.4 s, 11.9 s, 12.8 s > trigger 10 s
 * for 3 batches; input 5,200 rows/s, processed 3,100 rows/s".
 */
public record QueryWarning(Kind kind, String query, String message) {
    /** What is wrong; {@link #label()} is the Prometheus label value and the JSON spelling. */
    public enum Kind {
        FALLS_BEHIND("falls_behind", "falls behind"),
        STATE_GROWS("state_grows", "state grows");

        private final String label;
        private final String words;

        Kind(String label, String words) {
            this.label = label;
            this.words = words;
        }

        public String label() {
            return label;
        }

        /** "falls behind", "state grows": as the messages say it. */
        public String words() {
            return words;
        }

        public static Kind ofLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown warning kind: " + label);
        }
    }

    public QueryWarning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(message, "message");
    }
}
