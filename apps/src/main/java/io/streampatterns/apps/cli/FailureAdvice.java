package io.streampatterns.apps.cli;

import io.streampatterns.core.CheckpointFiles;
import org.apache.spark.SparkThrowable;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures a user can act on, told in one line with the ways on, instead of Spark's text (which, for lost Kafka data,
 * advises a source option our commands set from {@code --on-data-loss}). Pure: tested without Spark running.
 */
final class FailureAdvice {
    static final String KAFKA_DATA_LOSS = "KAFKA_DATA_LOSS";
    static final String CANNOT_LOAD_STATE = "CANNOT_LOAD_STATE_STORE";
    /** Spark's wording when a file of the offset, commit or source log cannot be read (the file, then why). */
    static final Pattern UNREADABLE_LOG = Pattern.compile("Failed to read log file (\\S+?)\\.? ([^\\n]+)");
    static final String RESTORE = CheckpointFiles.RESTORE;

    private FailureAdvice() {
    }

    /** The advice for {@code failure}, if it is one we know. */
    static Optional<String> of(Throwable failure) {
        Optional<String> damaged = CheckpointFiles.damageIn(failure);
        if (damaged.isPresent()) {
            return damaged;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String condition = t instanceof SparkThrowable s && s.getCondition() != null ? s.getCondition() : "";
            if (condition.startsWith(KAFKA_DATA_LOSS)) {
                return Optional.of(kafkaDataLoss(condition, t.getMessage()));
            }
            if (condition.startsWith(CANNOT_LOAD_STATE)) {
                return Optional.of("the state in the checkpoint cannot be loaded (" + condition + rootCause(t) + "): a state"
                        + " file is damaged, or was written by another state store; " + RESTORE);
            }
            Matcher log = UNREADABLE_LOG.matcher(t.getMessage() == null ? "" : t.getMessage());
            if (log.find()) {
                return Optional.of("checkpoint file " + log.group(1) + " cannot be read (" + log.group(2) + "): " + RESTORE);
            }
        }
        return Optional.empty();
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? "" : ", " + Cli.summary(root);
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
