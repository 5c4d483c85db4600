package io.streampatterns.bench.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streampatterns.apps.search.SearchServer;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.sink.search.SearchDocAtATimeSink;
import io.streampatterns.sink.search.SearchSink;
import io.streampatterns.sink.search.SearchTarget;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code search-sink}: our Bulk API sink versus one HTTP request per document, into a real single-node OpenSearch
 * started for the run (its own JVM). Both write the same documents with the same ids; the baseline on a sample (one
 * request per document is slow), which ours also writes into an index of its own. Agreement: the sample's two indices
 * hold the same documents (ids and sources), and ours holds every document of the full run.
 */
public final class SearchSinkBench implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The two sides: bulk requests (ours) and one request per document (baseline). */
    enum Way { BULK, ONE_REQUEST_PER_DOCUMENT }

    @Override
    public String name() {
        return "search-sink";
    }

    @Override
    public String description() {
        return "Bulk API sink vs one request per document into OpenSearch";
    }

    @Override
    public Plan plan(BenchContext ctx) throws Exception {
        SparkSession spark = ctx.spark();
        long rows = ctx.events(500_000, 100_000);
        long sampleRows = ctx.events(10_000, 3_000);
        Dataset<Row> data = Events.of(spark, rows).cache();
        data.count();
        Dataset<Row> sample = data.limit((int) sampleRows).cache();
        sample.count();
        SearchServer search = SearchServer.start(SearchServer.Options.defaults().log(ctx.workDir().resolve("search.log")));
        Side bulk = Side.of("ours",
                rep -> run(Way.BULK, search, "bench-bulk-" + rep, data, rows));
        Side oneByOne = Side.of("one_request_per_document",
                rep -> run(Way.ONE_REQUEST_PER_DOCUMENT, search, "bench-one-" + rep, sample, sampleRows));
        Side bulkSample = Side.of("ours_sample",
                rep -> run(Way.BULK, search, "bench-bulk-sample-" + rep, sample, sampleRows));
        return Plan.of(bulk, oneByOne, bulkSample).agreeingWith("ours_sample", "one_request_per_document")
                .figures(runs -> java.util.Map.of("baseline_documents", sampleRows, "bulk_docs", SearchTarget.DEFAULT_BULK_DOCS))
                .closing(() -> {
                    data.unpersist();
                    sample.unpersist();
                    search.close();
                });
    }

    /**
     * One side indexing {@code docs} into a new index (created before the clock starts); the digest is of the indexed
     * documents (id and source) when there are at most 10,000, else their number.
     */
    private static Measured run(Way way, SearchServer search, String index, Dataset<Row> docs, long n) throws Exception {
        SearchTarget target = target(search, index);
        SearchSink bulk = SearchSink.of(target);
        bulk.prepare(docs.schema());
        Measured m = Measured.of(n, () -> {
            if (way == Way.BULK) {
                bulk.write(docs);
            } else {
                SearchDocAtATimeSink.of(target).write(docs);
            }
            return null;
        });
        long count = count(search, index);
        String digest = count <= 10_000 ? "documents " + documents(search, index).hashCode() + " of " + count : "count " + count;
        return m.digest(digest).with("documents", count);
    }

    private static SearchTarget target(SearchServer search, String index) {
        return SearchTarget.of(search.url(), index, "event_id");
    }

    private static long count(SearchServer search, String index) throws Exception {
        call(search, "POST", "/" + index + "/_refresh", null);
        return call(search, "GET", "/" + index + "/_count", null).path("count").asLong();
    }

    /** {@code id source} of every document of {@code index} (at most 10,000), by id. */
    private static List<String> documents(SearchServer search, String index) throws Exception {
        call(search, "POST", "/" + index + "/_refresh", null);
        JsonNode hits = call(search, "POST", "/" + index + "/_search",
                "{\"query\":{\"match_all\":{}},\"size\":10000,\"sort\":[{\"_id\":\"asc\"}]}").path("hits").path("hits");
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.get("_id").asText() + " " + h.get("_source")));
        return out;
    }

    private static JsonNode call(SearchServer search, String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(search.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
