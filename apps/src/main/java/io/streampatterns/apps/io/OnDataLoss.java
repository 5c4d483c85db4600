package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;

/**
 * What a Kafka source does when records it has not read yet are gone (topic deleted, retention or a
 * {@code deleteRecords} removed them past the checkpointed offsets). Spark's source option is {@code failOnDataLoss};
 * we make the choice explicit on the command line, and the default is the safe one.
 */
public enum OnDataLoss {
    /** The query fails with a line that names the lost offsets and the two ways on (Spark's default). */
    FAIL,
    /** The query skips what is gone and goes on; Spark logs a warning per skipped range. */
    SKIP;

    /** {@code fail} or {@code skip} (any case); a {@link ConfigException} otherwise. */
    public static OnDataLoss parse(String text) {
        for (OnDataLoss o : values()) {
            if (o.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return o;
            }
        }
        throw new ConfigException("on-data-loss must be fail or skip, got '" + text + "'");
    }

    /** The value of Spark's {@code failOnDataLoss} source option. */
    public String failOnDataLoss() {
        return String.valueOf(this == FAIL);
    }
}
