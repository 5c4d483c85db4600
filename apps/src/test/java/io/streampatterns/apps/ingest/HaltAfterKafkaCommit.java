package io.streampatterns.apps.ingest;

import io.streampatterns.sink.kafka.KafkaTransactionalSink;

import java.util.Arrays;

/**
 * {@code ingest} in a child JVM that halts (as SIGKILL would: no hook, no clean stop) right after the Kafka sink
 * committed the transaction of batch {@code args[0]}, before Spark commits that batch to the checkpoint: the
 * narrowest window of a crash between the write and the checkpoint, hit every time.
 */
public final class HaltAfterKafkaCommit {
    private HaltAfterKafkaCommit() {
    }

    public static void main(String[] args) {
        System.setProperty(KafkaTransactionalSink.HALT_AFTER_COMMIT, args[0]);
        IngestCommand.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
