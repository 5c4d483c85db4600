package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The data sets of the {@code generate} command. */
public enum Dataset {
    CLICKSTREAM("clickstream", ".jsonl", ClickstreamGenerator::new),
    TRANSACTIONS("transactions", ".jsonl", TransactionsGenerator::new),
    MERCHANTS("merchants", ".jsonl", MerchantsGenerator::new),
    APACHE_LOGS("apache-logs", ".log", ApacheLogsGenerator::new);

    private final String cliName;
    private final String extension;
    private final Function<GeneratorOptions, Generator> factory;

    Dataset(String cliName, String extension, Function<GeneratorOptions, Generator> factory) {
        this.cliName = cliName;
        this.extension = extension;
        this.factory = factory;
    }

    /** The data set named {@code name} on the command line; {@link ConfigException} listing the names otherwise. */
    public static Dataset parse(String name) {
        for (Dataset d : values()) {
            if (d.cliName.equalsIgnoreCase(String.valueOf(name).trim())) {
                return d;
            }
        }
        throw new ConfigException("unknown dataset '" + name + "' (use one of " + names() + ")");
    }

    private static String names() {
        return Arrays.stream(values()).map(Dataset::cliName).collect(Collectors.joining(", "));
    }

    public String cliName() {
        return cliName;
    }

    /** The part files' extension: {@code .jsonl}, or {@code .log} for Apache log lines. */
    public String extension() {
        return extension;
    }

    public Generator generator(GeneratorOptions options) {
        return factory.apply(options);
    }
}
