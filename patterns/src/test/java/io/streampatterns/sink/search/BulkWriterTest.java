package io.streampatterns.sink.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bulk writer against a scripted HTTP endpoint (the JDK's server): request bounds, retries with backoff of whole
 * requests (429/5xx) and of single documents, a clear failure for a rejected document. The real engine is exercised
 * by the ingest tests of {@code apps}.
 */
class BulkWriterTest {
    private static final SearchTarget.Retry FAST = SearchTarget.Retry.of(4, Duration.ofMillis(1), Duration.ofMillis(5));

    private HttpServer server;
    /** Bodies of the bulk requests received, in order. */
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    /** Scripted answers (status, body of the request → answer body), used in order; the last one repeats. */
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n" + body);
            Answer a = script.size() > 1 ? script.poll() : script.peek();
            byte[] out = a.body.apply(body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsIndexActionsWithTheIdsInRequestsOfAtMostTheDocumentLimit() {
        script.add(new Answer(200, BulkWriterTest::allCreated));
        try (BulkWriter w = new BulkWriter(target().withBulkLimits(2, 1 << 20))) {
            w.add("e1", "{\"n\":1}");
            w.add("e2", "{\"n\":2}");
            w.add("e\"3", "{\"n\":3}");
        }
        assertEquals(List.of(
                "POST /clicks/_bulk\n{\"index\":{\"_id\":\"e1\"}}\n{\"n\":1}\n{\"index\":{\"_id\":\"e2\"}}\n{\"n\":2}\n",
                "POST /clicks/_bulk\n{\"index\":{\"_id\":\"e\\\"3\"}}\n{\"n\":3}\n"), bodies);
    }

    @Test
    void aRequestIsSentWhenTheByteLimitIsReached() {
        script.add(new Answer(200, BulkWriterTest::allCreated));
        String doc = "{\"text\":\"" + "x".repeat(100) + "\"}";
        try (BulkWriter w = new BulkWriter(target().withBulkLimits(1000, 250))) {
            for (int i = 0; i < 5; i++) {
                w.add("e" + i, doc);
            }
            assertEquals(2, w.requests(), "a request each time two documents (~270 bytes) pass 250 bytes, before the final flush");
        }
        assertEquals(3, bodies.size());
    }

    @Test
    void aWholeRequestAnswered429Or503IsRetriedUntilAccepted() {
        script.add(new Answer(429, b -> "{\"error\":\"too many requests\"}"));
        script.add(new Answer(503, b -> "{\"error\":\"unavailable\"}"));
        script.add(new Answer(200, BulkWriterTest::allCreated));
        long written;
        try (BulkWriter w = new BulkWriter(target())) {
            w.add("e1", "{}");
            w.flush();
            written = w.written();
        }
        assertEquals(1, written);
        assertEquals(3, bodies.size());
        assertEquals(bodies.get(0), bodies.get(2), "the same request sent again");
    }

    @Test
    void onlyTheDocumentsRejectedAsOverloadedAreSentAgain() {
        script.add(new Answer(200, b -> "{\"errors\":true,\"items\":[" + item(201, null) + "," + item(429, "es_rejected_execution_exception")
                + "," + item(201, null) + "]}"));
        script.add(new Answer(200, BulkWriterTest::allCreated));
        try (BulkWriter w = new BulkWriter(target())) {
            w.add("a", "{\"n\":1}");
            w.add("b", "{\"n\":2}");
            w.add("c", "{\"n\":3}");
            w.flush();
            assertEquals(3, w.written());
        }
        assertEquals("POST /clicks/_bulk\n{\"index\":{\"_id\":\"b\"}}\n{\"n\":2}\n", bodies.get(1));
        assertEquals(2, bodies.size());
    }

    @Test
    void aDocumentTheMappingRejectsFailsTheWriteWithItsIdAndReason() {
        script.add(new Answer(200, b -> "{\"errors\":true,\"items\":[" + item(201, null) + ","
                + item(400, "mapper_parsing_exception") + "]}"));
        BulkWriter w = new BulkWriter(target());
        w.add("a", "{}");
        w.add("b", "{\"ts\":\"yesterday\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, w::flush);
        assertTrue(e.getMessage().contains("rejected document b (HTTP 400): mapper_parsing_exception: failed"), e.getMessage());
    }

    @Test
    void givesUpAfterTheLastTryWithTheLastAnswer() {
        script.add(new Answer(503, b -> "{}"));
        BulkWriter w = new BulkWriter(target());
        w.add("a", "{}");
        IllegalStateException e = assertThrows(IllegalStateException.class, w::flush);
        assertTrue(e.getMessage().endsWith("failed after 4 tries: HTTP 503"), e.getMessage());
        assertEquals(4, bodies.size());
    }

    @Test
    void anIdLongerThan512BytesIsReplacedByItsStableHash() {
        String longId = "x".repeat(600);
        assertEquals(BulkWriter.documentId(longId), BulkWriter.documentId(longId));
        assertTrue(BulkWriter.documentId(longId).matches("sha256-[0-9a-f]{64}"));
        assertEquals("short", BulkWriter.documentId("short"));
    }

    @Test
    void backoffCeilingsDoubleUpToTheMaximum() {
        SearchTarget.Retry r = SearchTarget.Retry.of(8, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                List.of(r.ceilingMillis(1), r.ceilingMillis(2), r.ceilingMillis(3), r.ceilingMillis(4), r.ceilingMillis(5), r.ceilingMillis(40)));
    }

    private SearchTarget target() {
        return SearchTarget.of("http://127.0.0.1:" + server.getAddress().getPort(), "clicks", "event_id").withRetry(FAST);
    }

    private static String allCreated(String body) {
        long docs = body.lines().count() / 2;
        List<String> items = new ArrayList<>();
        for (long i = 0; i < docs; i++) {
            items.add(item(201, null));
        }
        return "{\"took\":1,\"errors\":false,\"items\":[" + String.join(",", items) + "]}";
    }

    private static String item(int status, String error) {
        try {
            String e = error == null ? "" : ",\"error\":" + new ObjectMapper().writeValueAsString(
                    java.util.Map.of("type", error, "reason", "failed"));
            return "{\"index\":{\"_index\":\"clicks\",\"status\":" + status + e + "}}";
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static final class Answer {
        final int status;
        final Function<String, String> body;

        Answer(int status, Function<String, String> body) {
            this.status = status;
            this.body = body;
        }
    }
}
