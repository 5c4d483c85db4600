package io.streampatterns.apps.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestApp;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.search.SearchTarget;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The data highway in the demo: the generated card transactions ingested into the lake and, exactly once, into an
 * OpenSearch index and a Kafka topic of cleaned records (the monitor step sends its alerts to a second topic).
 */
final class HighwayDemo implements DemoStep {
    static final String INDEX = "transactions";
    static final String TOPIC = "transactions-clean";
    static final String ALERTS_TOPIC = "alerts";

    @Override
    public String name() {
        return "highway";
    }

    @Override
    public void prepare(DemoContext ctx) {
        // reads the transactions the join step generates; the search node starts meanwhile
        ctx.startSearch();
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        System.err.println("demo: OpenSearch at " + ctx.searchUrl() + " (index " + INDEX + "), Kafka at " + ctx.kafkaBootstrap()
                + " (topics " + TOPIC + ", " + ALERTS_TOPIC + ")");
        IngestApp.Options o = IngestApp.Options.of(BuiltinSchemas.resolve("transactions", null, null), RecordFormat.JSON_LINES,
                        ctx.lake(), "transactions")
                .withCheckpoint(ctx.checkpoint("ingest-transactions"))
                .withSearch(SearchTarget.of(ctx.searchUrl(), INDEX, "tx_id"))
                .withKafka(KafkaTarget.of(ctx.kafkaBootstrap(), TOPIC));
        return List.of(IngestApp.start(ctx.spark(), RawInput.files(ctx.spark(), ctx.input("transactions"), 1), o, ctx.trigger()));
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(
                DemoCommand.tableLine(ctx, "transactions", "card transactions, validated and deduplicated"),
                String.format("  %-28s %8d docs  %s/%s  - the same transactions, searchable (id = tx_id)",
                        "search index " + INDEX, documents(ctx.searchUrl(), INDEX), ctx.searchUrl(), INDEX),
                String.format("  %-28s %8d recs  %s  - the same as JSON, exactly once (read_committed)",
                        "kafka topic " + TOPIC, records(ctx, TOPIC), ctx.kafkaBootstrap()),
                String.format("  %-28s %8d recs  %s  - the monitor's alert events, exactly once",
                        "kafka topic " + ALERTS_TOPIC, records(ctx, ALERTS_TOPIC), ctx.kafkaBootstrap()));
    }

    /** Committed records of {@code topic} (a read_committed batch read). */
    private static long records(DemoContext ctx, String topic) {
        return ctx.spark().read().format("kafka").option("kafka.bootstrap.servers", ctx.kafkaBootstrap())
                .option("subscribe", topic).option("kafka.isolation.level", "read_committed").load().count();
    }

    /** Documents of {@code index}, after a refresh (what a search sees). */
    private static long documents(String url, String index) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            http.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_refresh"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_count")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body()).path("count").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
