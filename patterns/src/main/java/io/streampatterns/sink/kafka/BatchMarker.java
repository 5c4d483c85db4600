package io.streampatterns.sink.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The last batch id a sink committed, kept by Kafka itself: the committed offset of a marker consumer group (one per
 * sink, never used by a consumer) on partition 0 of the output topic is {@code batchId + 1}, with metadata
 * {@code streampatterns-batch=ID}. The sink commits it with {@code sendOffsetsToTransaction} inside the transaction
 * of the batch's records, so the records and the marker become visible together or not at all.
 */
final class BatchMarker {
    static final long NONE = -1;
    private static final String METADATA = "streampatterns-batch=";

    private final String group;
    private final TopicPartition partition;

    BatchMarker(String sinkId, String topic) {
        this.group = "streampatterns-sink-" + sinkId;
        this.partition = new TopicPartition(topic, 0);
    }

    String group() {
        return group;
    }

    /** The offsets to send with the transaction of batch {@code batchId}. */
    Map<TopicPartition, OffsetAndMetadata> of(long batchId) {
        return Map.of(partition, new OffsetAndMetadata(batchId + 1, METADATA + batchId));
    }

    ConsumerGroupMetadata groupMetadata() {
        return new ConsumerGroupMetadata(group);
    }

    /**
     * The last committed batch id, or {@link #NONE}. {@code requireStable} makes the broker wait for an offset
     * commit still pending in a transaction (the previous run's, being completed by {@code initTransactions}).
     */
    long read(Admin admin, long timeoutMs) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group,
                        new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        OffsetAndMetadata m = offsets.get(partition);
        if (m == null) {
            return NONE;
        }
        if (!m.metadata().startsWith(METADATA)) {
            throw new IllegalStateException("consumer group " + group + " holds an offset on " + partition
                    + " that this sink did not write (metadata '" + m.metadata() + "'): a consumer must not use this group id");
        }
        return m.offset() - 1;
    }
}
