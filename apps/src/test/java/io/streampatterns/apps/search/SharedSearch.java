package io.streampatterns.apps.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One real OpenSearch node per test JVM (its start takes 15-40 s), started on first use and stopped when the JVM
 * ends (the node also ends by itself when this JVM dies: it watches its stdin). Plus the few HTTP calls tests make
 * to read back what a sink wrote.
 */
public final class SharedSearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SearchServer server;

    private SharedSearch() {
    }

    /** The node's base URL, {@code http://127.0.0.1:<port>}. */
    public static synchronized String url() {
        if (server == null) {
            Path log = Path.of("target", "search-test.log").toAbsolutePath();
            server = SearchServer.start(SearchServer.Options.defaults().heap("768m").log(log));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-search-stop"));
        }
        return server.url();
    }

    /** Makes every write to {@code index} visible to search, then returns {@code (id, _source)} of all its documents by id. */
    public static List<String> documents(String index) {
        JsonNode hits = search(index, "{\"query\":{\"match_all\":{}},\"size\":10000,\"sort\":[{\"_id\":\"asc\"}]}");
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.get("_id").asText() + " " + h.get("_source").toString()));
        return out;
    }

    /** The ids of the hits of {@code query} (a JSON query DSL object) on {@code index}, sorted by id. */
    public static List<String> ids(String index, String query) {
        JsonNode hits = search(index, "{\"query\":" + query + ",\"size\":10000,\"sort\":[{\"_id\":\"asc\"}]}");
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.get("_id").asText()));
        return out;
    }

    private static JsonNode search(String index, String body) {
        call("POST", "/" + index + "/_refresh", null);
        return call("POST", "/" + index + "/_search", body).path("hits").path("hits");
    }

    /** One HTTP call; the JSON answer (an exception for a status >= 300). */
    public static JsonNode call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
