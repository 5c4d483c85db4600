package io.streampatterns.apps.demo;

import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.search.SearchServer;
import io.streampatterns.dashboard.WatchOptions;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where a demo run keeps its inputs and outputs, how its queries are triggered, and the servers its sinks write to
 * (a Kafka broker in this JVM and an OpenSearch node in its own, started on first use and stopped by {@link #close()}).
 */
public final class DemoContext implements AutoCloseable {
    private static final Duration LIVE_TRIGGER = Duration.ofSeconds(1);
    private final SparkSession spark;
    private final Path root;
    private final boolean live;
    private EmbeddedKafka kafka;
    private CompletableFuture<SearchServer> search;

    DemoContext(SparkSession spark, Path root, boolean live) {
        this.spark = spark;
        this.root = root;
        this.live = live;
    }

    public SparkSession spark() {
        return spark;
    }

    /** Input directory {@code name} (generated or sample data). */
    public Path input(String name) {
        return root.resolve("input").resolve(name);
    }

    /** The lake directory holding every result table (a {@code file:} location: tables are locations, see {@link Storage}). */
    public URI lake() {
        return root.resolve("lake").toUri();
    }

    /** The lake's table {@code name}. */
    public URI table(String name) {
        return Storage.child(lake(), name);
    }

    /** Checkpoint of the query {@code name}. */
    public URI checkpoint(String name) {
        return root.resolve("checkpoints").resolve(name).toUri();
    }

    /** True when the demo runs live (continuous queries over data arriving), false for one pass over the data. */
    public boolean live() {
        return live;
    }

    public Trigger trigger() {
        return live ? Trigger.ProcessingTime(LIVE_TRIGGER.toMillis()) : Trigger.AvailableNow();
    }

    /** What the progress display and the dashboard warn about: the trigger interval of {@link #trigger()}, if live. */
    public WatchOptions watch() {
        return WatchOptions.defaults().withTriggerInterval(live ? LIVE_TRIGGER : Duration.ZERO);
    }

    /** The demo's Kafka broker ({@code host:port}), started on first use. */
    public synchronized String kafkaBootstrap() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            System.err.println("demo: Kafka broker at " + kafka.bootstrapServers());
        }
        return kafka.bootstrapServers();
    }

    /** Starts the demo's OpenSearch node in the background (it takes a while); {@link #searchUrl()} waits for it. */
    public synchronized void startSearch() {
        if (search == null) {
            search = CompletableFuture.supplyAsync(() -> SearchServer.start(SearchServer.Options.defaults()
                    .heap("768m").log(root.resolve("search.log"))));
        }
    }

    /** The demo's OpenSearch node ({@code http://127.0.0.1:port}), once it answers. */
    public String searchUrl() {
        startSearch();
        try {
            return search.join().url();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    /** Stops the servers the demo started. */
    @Override
    public synchronized void close() {
        if (search != null) {
            search.thenAccept(SearchServer::close).exceptionally(e -> null).join();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
