package io.streampatterns.sink.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streampatterns.core.ConfigException;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

/**
 * The search-engine sink pattern: each micro-batch indexed into OpenSearch with the Bulk API, from every partition in
 * parallel, each row one document whose id is the row's event id.
 *
 * <pre>{@code
 * SearchSink sink = SearchSink.of(SearchTarget.of("http://127.0.0.1:9200", "clicks", "event_id"));
 * events.writeStream().foreachBatch(sink).option("checkpointLocation", ckpt).start();
 * }</pre>
 *
 * <ul>
 *   <li>Exactly once by construction, with no bookkeeping: a document's id is its event id and every write is an
 *       {@code index} action (create or overwrite), so a batch replayed after a crash overwrites the same documents
 *       with the same content, and an event delivered twice (even past the dedup window) is still one document. The
 *       batch is always evaluated, never skipped (SPARK-52008).</li>
 *   <li>Before the first write the index is created with the mapping the schema implies ({@link IndexMapping}); if
 *       it exists, its mapping is checked: a field the index maps with an incompatible type is a
 *       {@link ConfigException} naming the fields (the command exits with code 2), fields it lacks are added.</li>
 *   <li>Bounded bulk requests, retries with backoff on 429/5xx ({@link BulkWriter}); documents are ISO-8601 UTC
 *       JSON made by Spark's {@code to_json}, null fields left out.</li>
 *   <li>Visibility: documents are searchable after the index's refresh interval (1 s by default); the sink does
 *       not force refreshes, which would cost the engine far more than the write.</li>
 * </ul>
 */
public final class SearchSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> JSON_OPTIONS = Map.of(
            "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
            "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
            "dateFormat", "yyyy-MM-dd",
            "timeZone", "UTC");

    private final SearchTarget target;
    /** The schema whose mapping was checked against the index (per sink instance, on the driver). */
    private transient StructType checked;

    private SearchSink(SearchTarget target) {
        this.target = target;
    }

    public static SearchSink of(SearchTarget target) {
        ConfigException.check(target != null, "search sink: a target is required");
        return new SearchSink(target);
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        write(batch);
    }

    /** Indexes every row of {@code docs} (one document each, all columns); returns the number of documents written. */
    public long write(Dataset<Row> docs) {
        ConfigException.check(Arrays.asList(docs.columns()).contains(target.idColumn()),
                "search sink: the id column " + target.idColumn() + " is not among " + Arrays.toString(docs.columns()));
        prepare(docs.schema());
        LongAccumulator written = docs.sparkSession().sparkContext().longAccumulator("search sink " + target.index());
        SearchTarget t = target;
        documents(docs, t.idColumn()).foreachPartition((ForeachPartitionFunction<Row>) rows -> {
            try (BulkWriter w = new BulkWriter(t)) {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    w.add(r.getString(0), r.getString(1));
                }
                w.flush();
                written.add(w.written());
            }
        });
        return written.value();
    }

    /** {@code id, json}: the id column as a string and the whole row as a JSON document. */
    static Dataset<Row> documents(Dataset<Row> docs, String idColumn) {
        Column all = struct(Arrays.stream(docs.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
        return docs.select(col("`" + idColumn + "`").cast("string"), to_json(all, JSON_OPTIONS));
    }

    /** GET {@code /}: a {@link ConfigException} with a one-line reason when the engine cannot be reached. */
    public void checkReachable() {
        try {
            HttpResponse<byte[]> r = SearchHttp.send(target, target.request("/", SearchHttp.REQUEST_TIMEOUT).GET().build());
            ConfigException.check(r.statusCode() == 200, "--search " + target.url() + " answered HTTP " + r.statusCode()
                    + (r.statusCode() == 401 || r.statusCode() == 403 ? " (check --search-user and " + SearchTarget.PASSWORD_ENV + ")" : ""));
        } catch (SearchHttp.SearchUnavailableException e) {
            throw new ConfigException("cannot reach --search " + target.url() + ": " + e.getMessage(), e);
        }
    }

    /** Creates the index with the mapping of {@code schema}, or checks the existing one (once per schema and sink instance); a {@link ConfigException} on a mapping conflict. */
    public void prepare(StructType schema) {
        if (schema.equals(checked)) {
            return;
        }
        ObjectNode wanted = IndexMapping.of(schema, target.idColumn());
        String path = "/" + target.index();
        HttpResponse<byte[]> r = SearchHttp.send(target, target.request(path + "/_mapping", SearchHttp.REQUEST_TIMEOUT).GET().build());
        if (r.statusCode() == 404) {
            ObjectNode body = JSON.createObjectNode();
            body.set("mappings", wanted);
            HttpResponse<byte[]> created = put(path, body);
            if (created.statusCode() != 200 && !text(created).contains("resource_already_exists_exception")) {
                throw failure("cannot create index", created);
            }
            if (created.statusCode() != 200) {
                prepare(schema); // created meanwhile by another writer: check its mapping instead
                return;
            }
        } else if (r.statusCode() == 200) {
            JsonNode existing = firstIndexMapping(r.body());
            List<String> conflicts = IndexMapping.conflicts(existing, wanted);
            if (!conflicts.isEmpty()) {
                throw new ConfigException("--index " + target.index() + ": its mapping conflicts with the schema: "
                        + String.join("; ", conflicts) + " (write to a new index, or reindex)");
            }
            ObjectNode missing = IndexMapping.missing(existing, wanted);
            if (missing != null) {
                HttpResponse<byte[]> added = put(path + "/_mapping", missing);
                if (added.statusCode() != 200) {
                    throw new ConfigException("--index " + target.index() + ": cannot add the schema's new fields to its mapping: "
                            + BulkWriter.excerpt(added.body()));
                }
            }
        } else {
            throw failure("cannot read the mapping of index", r);
        }
        checked = schema;
    }

    private HttpResponse<byte[]> put(String path, JsonNode body) {
        return SearchHttp.send(target, target.request(path, SearchHttp.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(IndexMapping.toJson(body))).build());
    }

    /** The {@code mappings} of the first index in a {@code GET /INDEX/_mapping} answer (the index may be an alias). */
    private JsonNode firstIndexMapping(byte[] body) {
        try {
            Iterator<JsonNode> indices = JSON.readTree(body).elements();
            return indices.hasNext() ? indices.next().path("mappings") : JSON.createObjectNode();
        } catch (IOException e) {
            throw new IllegalStateException("search sink: unreadable mapping of index " + target.index() + ": " + e.getMessage(), e);
        }
    }

    private RuntimeException failure(String what, HttpResponse<byte[]> r) {
        String message = "--index " + target.index() + ": " + what + " (HTTP " + r.statusCode() + "): " + BulkWriter.excerpt(r.body());
        return r.statusCode() >= 400 && r.statusCode() < 500 ? new ConfigException(message) : new IllegalStateException(message);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
