package io.streampatterns.sink.kafka;

import io.streampatterns.core.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a Kafka sink writes: bootstrap servers, a topic, the transaction timeout, and client settings (security:
 * {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.*}, ... or tuning such as
 * {@code compression.type}) as Kafka Connect and Logstash take them, from a properties file so that no secret sits
 * on a command line. Immutable; {@link #toString()} shows the setting names, never their values.
 */
public final class KafkaTarget implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Kafka's own default: a transaction not committed within a minute is aborted by the broker. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);
    /** Settings the sink owns: exactly once depends on them. */
    static final Set<String> RESERVED = Set.of("transactional.id", "enable.idempotence", "acks", "isolation.level",
            "key.serializer", "value.serializer", "bootstrap.servers", "transaction.timeout.ms");

    private final String bootstrap;
    private final String topic;
    private final Duration transactionTimeout;
    private final Map<String, String> config;

    private KafkaTarget(String bootstrap, String topic, Duration transactionTimeout, Map<String, String> config) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.transactionTimeout = transactionTimeout;
        this.config = config;
    }

    /** Topic {@code topic} at {@code bootstrap} ({@code host:port[,host:port...]}). */
    public static KafkaTarget of(String bootstrap, String topic) {
        ConfigException.check(bootstrap != null && bootstrap.matches("[^\\s:,]+:\\d+(,[^\\s:,]+:\\d+)*"),
                "--to-kafka must be host:port[,host:port...], got '" + bootstrap + "'");
        ConfigException.check(topic != null && topic.matches("[A-Za-z0-9._-]{1,249}"),
                "--to-topic must be a Kafka topic name (letters, digits, . _ -), got '" + topic + "'");
        return new KafkaTarget(bootstrap, topic, DEFAULT_TRANSACTION_TIMEOUT, Map.of());
    }

    /**
     * How long the broker lets a transaction stay open before aborting it; must exceed the time one micro-batch takes
     * to send, and at most the broker's {@code transaction.max.timeout.ms} (15 min by default). It is also how long
     * read_committed consumers wait behind a transaction left open by a sink that died and is not restarted.
     */
    public KafkaTarget withTransactionTimeout(Duration d) {
        ConfigException.check(d != null && d.toMillis() >= 1000 && d.toMillis() <= Integer.MAX_VALUE,
                "--to-kafka-transaction-timeout must be at least 1s, got " + d);
        return new KafkaTarget(bootstrap, topic, d, config);
    }

    /** Extra producer/admin client settings (security, tuning); the sink's own ones cannot be overridden. */
    public KafkaTarget withConfig(Map<String, String> settings) {
        for (String k : settings.keySet()) {
            ConfigException.check(!RESERVED.contains(k), "Kafka setting " + k + " is set by the exactly-once sink and cannot be overridden");
        }
        return new KafkaTarget(bootstrap, topic, transactionTimeout, Map.copyOf(settings));
    }

    /** {@link #withConfig} with the settings of a Java properties file. */
    public KafkaTarget withConfigFile(Path file) {
        ConfigException.check(file != null && Files.isRegularFile(file), "--to-kafka-config: no such file: " + file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("--to-kafka-config: cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return withConfig(m);
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String topic() {
        return topic;
    }

    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    Map<String, String> config() {
        return config;
    }

    @Override
    public String toString() {
        return "KafkaTarget{bootstrap=" + bootstrap + ", topic=" + topic + ", transactionTimeout=" + transactionTimeout
                + ", settings=" + new TreeMap<>(config).keySet() + "}";
    }
}
