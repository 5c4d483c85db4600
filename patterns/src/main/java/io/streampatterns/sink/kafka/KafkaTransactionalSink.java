package io.streampatterns.sink.kafka;

import io.streampatterns.core.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

/**
 * The exactly-once Kafka sink pattern: each micro-batch written in one Kafka transaction, together with the batch id,
 * so that a {@code read_committed} consumer sees every record once across crashes and restarts.
 *
 * <pre>{@code
 * KafkaTransactionalSink sink = KafkaTransactionalSink.of(KafkaTarget.of("broker:9092", "clean-events"),
 *         DeltaSinks.appIdFor(checkpoint, "kafka:clean-events"));
 * events.writeStream().option("checkpointLocation", checkpoint.toString())
 *         .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> sink.write(KafkaTransactionalSink.json(batch, "event_id"), id))
 *         .start();
 * }</pre>
 *
 * <p>Spark's built-in Kafka sink is at-least-once: a batch replayed after a crash (written, but not yet committed to
 * the checkpoint) is written again. This sink closes that gap:</p>
 * <ul>
 *   <li>One producer on the driver with one stable {@code transactional.id} per sink, derived from the query's
 *       checkpoint (the sink id). {@code initTransactions} on start fences any older instance still alive (a zombie
 *       driver) and aborts or completes the transaction the previous run left open.</li>
 *   <li>Each batch: one transaction holding all its records and the batch id ({@link BatchMarker}: the committed
 *       offset of a marker consumer group, sent with {@code sendOffsetsToTransaction}). On start the last committed
 *       batch id is read back; a replayed batch at or below it is skipped. A crash before the commit leaves an
 *       aborted transaction (invisible to read_committed) and the batch is written again on restart; a crash after
 *       the commit and before Spark's checkpoint commit is the skipped replay.</li>
 *   <li>The batch is evaluated (materialized) first, also when it is skipped: upstream stateful steps must commit
 *       their state for every batch id (SPARK-52008). The transaction only spans sending, not computing.</li>
 *   <li>Records are sent in partition order, keyed (same key, same Kafka partition, in order).</li>
 * </ul>
 *
 * <p>Conditions of the guarantee: consumers read with {@code isolation.level=read_committed}; the sink id is stable
 * for a checkpoint (a new checkpoint is a new sink whose batches start again at 0); sending one batch takes less than
 * the transaction timeout (else the broker aborts it and the batch fails, to be retried on restart); at most one
 * query writes with this sink id at a time (a second one fences the first, which then fails). Records of one batch
 * pass through the driver: size micro-batches (max files or records per trigger) for the driver's memory.</p>
 */
public final class KafkaTransactionalSink implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactionalSink.class);
    /** Fault injection for crash tests: halt the JVM right after the Kafka commit of this batch id (before Spark's). */
    public static final String HALT_AFTER_COMMIT = "streampatterns.fault.kafka-sink.halt-after-commit";
    public static final String KEY = "key";
    public static final String VALUE = "value";
    private static final long ADMIN_TIMEOUT_MS = 60_000;

    private final KafkaTarget target;
    private final String sinkId;
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong batchesSkipped = new AtomicLong();
    private transient Producer<byte[], byte[]> producer;
    private transient BatchMarker marker;
    private transient long lastCommitted;

    private KafkaTransactionalSink(KafkaTarget target, String sinkId) {
        this.target = target;
        this.sinkId = sinkId;
    }

    /** A sink writing to {@code target}; {@code sinkId} must be stable for the query's checkpoint (e.g. {@code DeltaSinks.appIdFor}). */
    public static KafkaTransactionalSink of(KafkaTarget target, String sinkId) {
        ConfigException.check(target != null, "Kafka sink: a target is required");
        ConfigException.check(sinkId != null && !sinkId.isBlank(), "Kafka sink: a sink id is required");
        return new KafkaTransactionalSink(target, sinkId);
    }

    /**
     * The records of {@code rows}: {@code key} = the {@code keyColumn} value as a string (null: no key), {@code value}
     * = the whole row as JSON (timestamps ISO-8601 UTC, null fields left out), as Kafka Connect's JSON converter
     * without schemas writes it.
     */
    public static Dataset<Row> json(Dataset<Row> rows, String keyColumn) {
        return json(rows, keyColumn == null ? lit(null) : col("`" + keyColumn + "`"));
    }

    /** {@link #json(Dataset, String)} with the key computed by {@code key} (cast to a string). */
    public static Dataset<Row> json(Dataset<Row> rows, Column key) {
        Column all = struct(Arrays.stream(rows.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
        Map<String, String> options = Map.of("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "timeZone", "UTC");
        return rows.select(key.cast("string").as(KEY), to_json(all, options).as(VALUE));
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        write(batch, batchId);
    }

    /**
     * Writes {@code records} ({@code value}, optional {@code key}; strings or binary) as batch {@code batchId}, unless
     * that batch is already committed. Returns the number of records sent (0 for a skipped replay).
     */
    public long write(Dataset<Row> records, long batchId) {
        List<String> columns = Arrays.asList(records.columns());
        ConfigException.check(columns.contains(VALUE), "Kafka sink: the records need a 'value' column, got " + columns);
        Column key = columns.contains(KEY) ? col(KEY).cast("binary") : lit(null).cast("binary");
        Dataset<Row> kv = records.select(key.as(KEY), col(VALUE).cast("binary").as(VALUE))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long n = kv.count(); // evaluates the batch, also when it is skipped below (SPARK-52008)
            open();
            if (batchId <= lastCommitted) {
                batchesSkipped.incrementAndGet();
                LOG.info("Kafka sink {}: batch {} is already in {} (last committed batch {}): replay skipped",
                        sinkId, batchId, target.topic(), lastCommitted);
                return 0;
            }
            if (n > 0) { // an empty batch needs no transaction: its replay writes nothing either
                send(kv.toLocalIterator(), batchId);
            }
            recordsWritten.addAndGet(n);
            return n;
        } finally {
            kv.unpersist();
        }
    }

    /** Records committed by this instance. */
    public long recordsWritten() {
        return recordsWritten.get();
    }

    /** Replayed batches skipped by this instance. */
    public long batchesSkipped() {
        return batchesSkipped.get();
    }

    /** The transactional id of this sink's producer. */
    public String transactionalId() {
        return "streampatterns-" + sinkId;
    }

    private void send(Iterator<Row> rows, long batchId) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try {
            producer.beginTransaction();
            String topic = target.topic();
            while (rows.hasNext() && failure.get() == null) {
                Row r = rows.next();
                producer.send(new ProducerRecord<>(topic, (byte[]) r.get(0), (byte[]) r.get(1)), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (failure.get() != null) {
                throw new KafkaException("a record of batch " + batchId + " failed: " + failure.get().getMessage(), failure.get());
            }
            producer.sendOffsetsToTransaction(marker.of(batchId), marker.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            abortAndClose();
            throw new IllegalStateException("Kafka sink " + sinkId + ": batch " + batchId + " to " + target.topic()
                    + " failed, nothing of it is visible to read_committed consumers: " + e.getMessage(), e);
        }
        lastCommitted = batchId;
        if (Long.getLong(HALT_AFTER_COMMIT, Long.MIN_VALUE) == batchId) {
            LOG.warn("Kafka sink {}: halting after the commit of batch {} ({} is set)", sinkId, batchId, HALT_AFTER_COMMIT);
            Runtime.getRuntime().halt(137);
        }
    }

    /** On first use (per driver JVM): the topic, the producer (fencing older ones), the last committed batch id. */
    private void open() {
        if (producer != null) {
            return;
        }
        marker = new BatchMarker(sinkId, target.topic());
        Producer<byte[], byte[]> p = null;
        try (Admin admin = Admin.create(new HashMap<>(clientConfig()))) {
            createTopicIfMissing(admin);
            p = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
            p.initTransactions();
            lastCommitted = marker.read(admin, ADMIN_TIMEOUT_MS);
            producer = p;
            LOG.info("Kafka sink {}: transactional id {}, last committed batch {}", sinkId, transactionalId(), lastCommitted);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            closeQuietly(p);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("cannot open the Kafka sink to " + target.topic() + " at " + target.bootstrap() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            closeQuietly(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the Kafka sink", e);
        }
    }

    private void createTopicIfMissing(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.describeTopics(List.of(target.topic())).allTopicNames().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            try {
                // the broker's default partition count and replication factor, as auto-creation would choose
                admin.createTopics(List.of(new NewTopic(target.topic(), Optional.empty(), Optional.empty())))
                        .all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException created) {
                if (!(created.getCause() instanceof TopicExistsException)) {
                    throw created;
                }
            }
        }
    }

    private Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>(target.config());
        c.put("bootstrap.servers", target.bootstrap());
        return c;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        // throughput defaults a user may override in the config file
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.putAll(clientConfig());
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) target.transactionTimeout().toMillis());
        return c;
    }

    private void abortAndClose() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // fenced or fatal: the broker aborts the transaction itself (on the next initTransactions or its timeout)
        }
        close();
    }

    /** Closes the producer; the next batch opens a new one (and fences this one's transactional id again). */
    @Override
    public void close() {
        closeQuietly(producer);
        producer = null;
    }

    private static void closeQuietly(Producer<byte[], byte[]> p) {
        if (p != null) {
            try {
                p.close(java.time.Duration.ofSeconds(10));
            } catch (KafkaException e) {
                LOG.warn("Kafka sink: producer close failed: {}", e.getMessage());
            }
        }
    }
}
