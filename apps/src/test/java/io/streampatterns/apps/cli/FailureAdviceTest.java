package io.streampatterns.apps.cli;

import io.streampatterns.core.CheckpointFiles;
import org.apache.spark.SparkThrowable;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureAdviceTest {
    @Test
    void lostKafkaDataIsToldWithThePartitionTheOffsetsAndTheWaysOnWhereverItIsInTheCauses() {
        RuntimeException lost = new KafkaLike("KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE",
                "[KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE] Some data may have been lost because they are not available in"
                        + " Kafka any more;\neither ...\nIf you don't want your streaming query to fail on such cases, set the source"
                        + " option failOnDataLoss to false.\nReason:\nCould not read records in offset [5, 8) for topic partition"
                        + " clicks-0\nwith consumer group spark-kafka-source-1. SQLSTATE: 22000");
        Optional<String> advice = FailureAdvice.of(new IllegalStateException("query failed", new RuntimeException("job aborted", lost)));
        assertEquals(Optional.of("Kafka records were deleted or aged out before this query read them"
                + " (KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE: Could not read records in offset [5, 8) for topic partition"
                + " clicks-0 with consumer group spark-kafka-source-1); nothing was skipped and the checkpoint is unchanged."
                + " Either run again with --on-data-loss skip to accept the loss, or restore the records (e.g. from the"
                + " topic's source) and run again."), advice);
    }

    @Test
    void anUnreadableLogFileOfACommandThatDoesNotCheckItsCheckpointIsNamed() {
        RuntimeException spark = new IllegalStateException("query failed", new IllegalStateException(
                "Failed to read log file file:/out/_checkpoints/fraud/offsets/4. Incomplete log file",
                new IllegalStateException("Incomplete log file")));
        assertEquals(Optional.of("checkpoint file file:/out/_checkpoints/fraud/offsets/4 cannot be read (Incomplete log file): "
                + CheckpointFiles.RESTORE), FailureAdvice.of(spark));
    }

    @Test
    void stateThatCannotBeLoadedIsToldWithItsRootCause() {
        RuntimeException spark = new KafkaLike("CANNOT_LOAD_STATE_STORE.UNCATEGORIZED", "[CANNOT_LOAD_STATE_STORE.UNCATEGORIZED] An"
                + " error occurred during loading state.", new java.io.EOFException());
        assertEquals(Optional.of("the state in the checkpoint cannot be loaded (CANNOT_LOAD_STATE_STORE.UNCATEGORIZED, EOFException):"
                + " a state file is damaged, or was written by another state store; " + CheckpointFiles.RESTORE), FailureAdvice.of(spark));
    }

    @Test
    void otherFailuresHaveNoAdvice() {
        assertEquals(Optional.empty(), FailureAdvice.of(new KafkaLike("DELTA_CONCURRENT_APPEND", "conflict")));
        assertEquals(Optional.empty(), FailureAdvice.of(new IllegalStateException("disk full")));
    }

    /** A Spark error with a condition, as Spark's Kafka source throws them. */
    private static final class KafkaLike extends RuntimeException implements SparkThrowable {
        private final String condition;

        KafkaLike(String condition, String message) {
            this(condition, message, null);
        }

        KafkaLike(String condition, String message, Throwable cause) {
            super(message, cause);
            this.condition = condition;
        }

        @Override
        public String getCondition() {
            return condition;
        }

        @Override
        public Map<String, String> getMessageParameters() {
            return Map.of();
        }
    }
}
