package io.streampatterns.apps.kafka;

import io.streampatterns.core.ConfigException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Produces text lines to a Kafka topic: one record per line, the line as String value and an optional String
 * key computed from it. Each call opens an idempotent producer, sends every line in order, flushes, and returns
 * the number of records the broker acknowledged (all of them, or it throws).
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
}
