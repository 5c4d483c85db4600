package io.streampatterns.apps.cli;

import org.apache.spark.SparkThrowable;

import java.util.Optional;

/**
 * Failures a user can act on, told in one line with the ways on, instead of Spark's text (which, for lost Kafka data,
 * advises a source option our commands set from {@code --on-data-loss}). Pure: tested without Spark running.
 */
final class FailureAdvice {
    static final String KAFKA_DATA_LOSS = "KAFKA_DATA_LOSS";

    private FailureAdvice() {
    }

    /** The advice for {@code failure}, if it is one we know. */
    static Optional<String> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SparkThrowable s && s.getCondition() != null && s.getCondition().startsWith(KAFKA_DATA_LOSS)) {
                return Optional.of(kafkaDataLoss(s.getCondition(), t.getMessage()));
            }
        }
        return Optional.empty();
    }

    private static String kafkaDataLoss(String condition, String message) {
        return "Kafka records were deleted or aged out before this query read them (" + condition + reason(message)
                + "); nothing was skipped and the checkpoint is unchanged. Either run again with --on-data-loss skip to"
                + " accept the loss, or restore the records (e.g. from the topic's source) and run again.";
    }

    /** Spark's "Reason:" part of the message, which names the partition and the offsets. */
    private static String reason(String message) {
        if (message == null) {
            return "";
        }
        int at = message.indexOf("Reason:");
        String reason = at < 0 ? "" : Cli.oneLine(message.substring(at + "Reason:".length()));
        int state = reason.indexOf(" SQLSTATE");
        String text = (state < 0 ? reason : reason.substring(0, state)).trim();
        return text.isEmpty() ? "" : ": " + (text.endsWith(".") ? text.substring(0, text.length() - 1) : text);
    }
}
