package io.streampatterns.apps.ingest;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.search.SearchTarget;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of {@code ingest}'s search-engine and Kafka sinks (a picocli mixin). */
public final class HighwayOptions {
    @Option(names = "--search", paramLabel = "URL",
            description = "Also index good rows into OpenSearch at http[s]://HOST:PORT (Bulk API, document id = event id; "
                    + "password from env " + SearchTarget.PASSWORD_ENV + ").")
    String search;

    @Option(names = "--index", paramLabel = "NAME", description = "Index for --search (created with a mapping from the schema).")
    String index;

    @Option(names = "--search-user", paramLabel = "USER", description = "User for --search (basic auth).")
    String searchUser;

    @Option(names = "--to-kafka", paramLabel = "HOST:PORT",
            description = "Also write good rows as JSON to a Kafka topic, exactly once (one transaction per micro-batch; "
                    + "read with isolation.level=read_committed).")
    String toKafka;

    @Option(names = "--to-topic", paramLabel = "T", description = "Topic for --to-kafka (created if missing).")
    String toTopic;

    @Option(names = "--to-kafka-config", paramLabel = "FILE",
            description = "Kafka client settings (properties file: security.protocol, sasl.*, ssl.*, compression.type, ...).")
    Path toKafkaConfig;

    @Option(names = "--to-kafka-transaction-timeout", paramLabel = "DURATION", defaultValue = "1m",
            description = "Broker-side limit of one batch's transaction; must exceed the time a batch takes to send (default: ${DEFAULT-VALUE}).")
    String transactionTimeout;

    /** {@code o} with the sinks these options ask for; a {@link ConfigException} for an incomplete pair. */
    IngestApp.Options apply(IngestApp.Options o) {
        ConfigException.check((search == null) == (index == null), "--search and --index go together");
        ConfigException.check((toKafka == null) == (toTopic == null), "--to-kafka and --to-topic go together");
        IngestApp.Options out = o;
        if (search != null) {
            SearchTarget t = SearchTarget.of(search, index, o.keyColumn());
            out = out.withSearch(searchUser != null ? t.withUser(searchUser) : t);
        }
        if (toKafka != null) {
            out = out.withKafka(kafka(toKafka, toTopic, toKafkaConfig, transactionTimeout));
        }
        return out;
    }

    /** The Kafka target of {@code --to-kafka}, {@code --to-topic}, {@code --to-kafka-config}, the transaction timeout. */
    public static KafkaTarget kafka(String bootstrap, String topic, Path config, String transactionTimeout) {
        KafkaTarget t = KafkaTarget.of(bootstrap, topic)
                .withTransactionTimeout(Durations.parsePositive(transactionTimeout, "--to-kafka-transaction-timeout"));
        return config != null ? t.withConfigFile(config) : t;
    }
}
