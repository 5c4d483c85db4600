package io.streampatterns.sink.search;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Buffers documents and sends them with the Bulk API ({@code POST /INDEX/_bulk}, one {@code index} action per
 * document, its id given), in requests of at most {@code bulkDocs} documents and about {@code bulkBytes} bytes.
 *
 * <p>An {@code index} action with an id creates or overwrites that document: writing the same documents again
 * (a replayed micro-batch) leaves the index as it was. A whole request answered 429/5xx is retried by
 * {@link SearchHttp}; a bulk answer can also hold per-document failures, of which 429 and 5xx ones (a full write
 * queue, a shard relocating) are sent again, with backoff, and any other (a value the mapping rejects) fails the
 * writer with the document id and the engine's reason: a document is never silently dropped.</p>
 *
 * <p>Not thread-safe: one writer per task.</p>
 */
final class BulkWriter implements AutoCloseable {
    /** Document ids are at most 512 bytes in OpenSearch; longer ids are replaced by their SHA-256 (still stable). */
    static final int MAX_ID_BYTES = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchTarget target;
    private final List<Doc> buffer = new ArrayList<>();
    private int bufferedBytes;
    private long written;
    private long requests;

    BulkWriter(SearchTarget target) {
        this.target = target;
    }

    /** Adds the document {@code json} with id {@code id}; sends a bulk request when the buffer is full. */
    void add(String id, String json) {
        if (id == null) {
            throw new IllegalStateException("search sink: a row has no value in the id column " + target.idColumn());
        }
        Doc d = new Doc(id, json.getBytes(StandardCharsets.UTF_8));
        buffer.add(d);
        bufferedBytes += d.size();
        if (buffer.size() >= target.bulkDocs() || bufferedBytes >= target.bulkBytes()) {
            flush();
        }
    }

    /** Sends what is buffered (until every document is acknowledged or a failure is thrown). */
    void flush() {
        List<Doc> pending = new ArrayList<>(buffer);
        buffer.clear();
        bufferedBytes = 0;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Doc> retry = sendOnce(pending);
            written += pending.size() - retry.size();
            if (!retry.isEmpty()) {
                if (attempt >= target.retry().attempts()) {
                    throw new IllegalStateException("search sink: " + retry.size() + " documents of index " + target.index()
                            + " still rejected as overloaded after " + attempt + " tries (first id " + retry.get(0).id + ")");
                }
                SearchHttp.backoff(target.retry(), attempt);
            }
            pending = retry;
        }
    }

    /** Documents acknowledged so far. */
    long written() {
        return written;
    }

    /** Bulk requests sent so far (retries included). */
    long requests() {
        return requests;
    }

    @Override
    public void close() {
        flush();
    }

    /** One bulk request; returns the documents to send again (429/5xx items), throws on any other item failure. */
    private List<Doc> sendOnce(List<Doc> docs) {
        HttpRequest request = target.request("/" + target.index() + "/_bulk", SearchHttp.REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(docs)))
                .build();
        requests++;
        HttpResponse<byte[]> r = SearchHttp.send(target, request);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search sink: bulk request to index " + target.index() + " answered HTTP "
                    + r.statusCode() + ": " + excerpt(r.body()));
        }
        JsonNode answer = read(r.body());
        if (!answer.path("errors").asBoolean(false)) {
            return List.of();
        }
        List<Doc> retry = new ArrayList<>();
        JsonNode items = answer.path("items");
        for (int i = 0; i < docs.size(); i++) {
            JsonNode item = items.path(i).path("index");
            int status = item.path("status").asInt(0);
            if (status >= 200 && status < 300) {
                continue;
            }
            if (SearchHttp.retryable(status)) {
                retry.add(docs.get(i));
                continue;
            }
            JsonNode error = item.path("error");
            throw new IllegalStateException("search sink: index " + target.index() + " rejected document " + docs.get(i).id
                    + " (HTTP " + status + "): " + error.path("type").asText("?") + ": " + error.path("reason").asText("")
                    + (error.has("caused_by") ? " (" + error.path("caused_by").path("reason").asText("") + ")" : ""));
        }
        return retry;
    }

    private static byte[] body(List<Doc> docs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(docs.stream().mapToInt(Doc::size).sum() + 32 * docs.size());
        for (Doc d : docs) {
            out.writeBytes(d.action);
            out.write('\n');
            out.writeBytes(d.json);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("search sink: unreadable bulk answer: " + excerpt(body), e);
        }
    }

    static String excerpt(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ");
    }

    /** {@code id} as the document id: itself, or its SHA-256 in hex when longer than {@value #MAX_ID_BYTES} bytes. */
    static String documentId(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_ID_BYTES) {
            return id;
        }
        try {
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Doc {
        final String id;
        final byte[] action;
        final byte[] json;

        Doc(String id, byte[] json) {
            this.id = id;
            String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(documentId(id)));
            this.action = ("{\"index\":{\"_id\":\"" + quoted + "\"}}").getBytes(StandardCharsets.UTF_8);
            this.json = json;
        }

        int size() {
            return action.length + json.length + 2;
        }
    }
}
