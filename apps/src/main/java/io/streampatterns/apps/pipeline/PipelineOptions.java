package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options every pipeline command shares: {@code --conf KEY=VALUE} (overrides the spec's configuration), {@code --storage DIR}. */
public final class PipelineOptions {
    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Overrides (or adds) an entry of the spec's configuration, e.g. input=/data/in.")
    List<String> conf = List.of();

    @Option(names = "--storage", paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "Where the tables and checkpoints go, local or any Hadoop file system URI (overrides the spec's storage).")
    URI storage;

    Map<String, String> conf() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : conf) {
            int eq = c.indexOf('=');
            ConfigException.check(eq > 0, "--conf: expected KEY=VALUE, got '" + c + "'");
            out.put(c.substring(0, eq), c.substring(eq + 1));
        }
        return out;
    }

    /** The storage given, as Spark takes it, or null. */
    String storage() {
        return storage == null ? null : Storage.text(storage);
    }
}
