package io.streampatterns.apps.kafka;

import io.streampatterns.core.ConfigException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Produces text lines to a Kafka topic: one record per line, the line as String value and an optional String
 * key computed from it. Each call opens an idempotent producer, sends every line in order, flushes, and returns
 * the number of records the broker acknowledged (all of them, or it throws). And reads them back:
 * {@link #consume} hands each record value to a callback.
 */
public final class KafkaLines {
    /** How long to wait for the broker's metadata before calling it unreachable. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(15);

    private KafkaLines() {
    }

    /** Sends {@code values} without keys. */
    public static long send(String bootstrapServers, String topic, List<String> values) {
        return send(bootstrapServers, topic, values, null);
    }

    /** Sends {@code values}, each keyed by {@code keyOf.apply(value)} ({@code keyOf} null: no keys). */
    public static long send(String bootstrapServers, String topic, List<String> values, Function<String, String> keyOf) {
        Objects.requireNonNull(values, "values");
        return sendAll(bootstrapServers, topic, values.iterator(), keyOf);
    }

    /** Sends every line of the UTF-8 file {@code file} without keys. */
    public static long sendFile(String bootstrapServers, String topic, Path file) {
        return sendFile(bootstrapServers, topic, file, null);
    }

    /** Sends every line of the UTF-8 file {@code file}, keyed by {@code keyOf} (null: no keys); streams the file. */
    public static long sendFile(String bootstrapServers, String topic, Path file, Function<String, String> keyOf) {
        ConfigException.check(file != null && Files.isRegularFile(file), "no such file: " + file);
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return sendAll(bootstrapServers, topic, lines.iterator(), keyOf);
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long sendAll(String bootstrapServers, String topic, Iterator<String> lines, Function<String, String> keyOf) {
        ConfigException.check(bootstrapServers != null && !bootstrapServers.isBlank(), "kafka bootstrap servers must not be blank");
        ConfigException.check(topic != null && !topic.isBlank(), "kafka topic must not be blank");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        try (Producer<String, String> producer = producer(bootstrapServers)) {
            while (lines.hasNext() && failure.get() == null) {
                String value = lines.next();
                String key = keyOf == null ? null : keyOf.apply(value);
                producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                sent++;
            }
            producer.flush();
        }
        Exception e = failure.get();
        if (e instanceof TimeoutException) {
            // no metadata within MAX_BLOCK: broker down, wrong address, or topic missing with auto-create off
            throw new ConfigException("cannot reach kafka at " + bootstrapServers + " for topic " + topic + ": " + e.getMessage(), e);
        }
        if (e != null) {
            throw new IllegalStateException("cannot produce to " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
        }
        return sent;
    }

    private static Producer<String, String> producer(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        try {
            return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        } catch (KafkaException e) {
            throw new ConfigException("kafka bootstrap servers '" + bootstrapServers + "': " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    /** What {@link #consume} reads: from the beginning or the end, committed records only, how many, until idle how long. */
    public static final class ConsumeOptions {
        final boolean fromBeginning;
        final boolean readCommitted;
        final long max;
        final Duration idleTimeout;

        /** {@code max} 0 = no limit; {@code idleTimeout} null = until interrupted. */
        public ConsumeOptions(boolean fromBeginning, boolean readCommitted, long max, Duration idleTimeout) {
            this.fromBeginning = fromBeginning;
            this.readCommitted = readCommitted;
            this.max = max;
            this.idleTimeout = idleTimeout;
        }
    }

    /**
     * Reads the values of every partition of {@code topic} (no consumer group, nothing committed) and passes each to
     * {@code out} as a UTF-8 string, in offset order per partition; returns the number read. Stops after
     * {@code max} records or when no record arrived for {@code idleTimeout}.
     */
    public static long consume(String bootstrapServers, String topic, ConsumeOptions o, Consumer<String> out) {
        ConfigException.check(bootstrapServers != null && !bootstrapServers.isBlank(), "kafka bootstrap servers must not be blank");
        ConfigException.check(topic != null && !topic.isBlank(), "kafka topic must not be blank");
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, o.readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        long read = 0;
        try (KafkaConsumer<byte[], String> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            if (o.fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long idleSince = System.nanoTime();
            while (o.max == 0 || read < o.max) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], String> r : records) {
                    out.accept(r.value());
                    if (++read == o.max) {
                        break;
                    }
                }
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                } else if (o.idleTimeout != null && System.nanoTime() - idleSince > o.idleTimeout.toNanos()) {
                    break;
                }
            }
        } catch (KafkaException e) {
            throw new ConfigException("cannot consume " + topic + " at " + bootstrapServers + ": " + rootMessage(e), e);
        }
        return read;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, MAX_BLOCK);
        } catch (TimeoutException e) {
            throw new ConfigException("cannot reach kafka for topic " + topic + ": " + e.getMessage(), e);
        }
        ConfigException.check(infos != null && !infos.isEmpty(), "kafka topic " + topic + " does not exist");
        List<TopicPartition> out = new ArrayList<>();
        infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        return out;
    }
}
