package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streampatterns.core.ConfigException;
import io.streampatterns.testkit.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static io.streampatterns.dashboard.MonitorFixture.alert;
import static io.streampatterns.dashboard.MonitorFixture.endpoint;
import static io.streampatterns.dashboard.MonitorFixture.minute;
import static io.streampatterns.dashboard.MonitorFixture.sliding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardServerTest {
    static final String TOKEN = "s3cret-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    static DashboardServer server(String token, Supplier<ObjectNode> metrics) {
        List<QueryFigures> queries = List.of(QueryFigures.fromProgress(Json.parse(PrometheusTest.PROGRESS)));
        return DashboardServer.start(ServerOptions.defaults().port(0).token(token), metrics, () -> queries);
    }

    static HttpResponse<String> get(DashboardServer s, String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + pathAndQuery.substring(1))).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET sent as raw bytes, for request lines {@link HttpClient} refuses to send; returns the status line. */
    static String rawGet(DashboardServer s, String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    static ObjectNode waiting() {
        ObjectNode o = Json.object();
        o.put("status", "waiting");
        return o;
    }

    @Test
    void withTokenEveryRequestButHealthzNeedsIt() throws Exception {
        try (DashboardServer s = server(TOKEN, DashboardServerTest::waiting)) {
            assertEquals("http://127.0.0.1:" + s.port() + "/", s.url());
            for (String path : List.of("/", "/api/metrics", "/api/health", "/metrics", "/static/dashboard.js")) {
                HttpResponse<String> none = get(s, path);
                assertEquals(401, none.statusCode(), path);
                assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
                assertEquals(401, get(s, path, "Authorization", "Bearer wrong-token-0123456789").statusCode(), path);
                assertEquals(401, get(s, path + "?token=" + TOKEN.substring(1)).statusCode(), path);
                assertEquals(200, get(s, path, "Authorization", "Bearer " + TOKEN).statusCode(), path);
                assertEquals(200, get(s, path + "?token=" + TOKEN).statusCode(), path);
            }
            assertEquals("ok\n", get(s, "/healthz").body());
            assertTrue(!get(s, "/", "Authorization", "Bearer x").body().contains(TOKEN), "the token is never echoed");
        }
    }

    @Test
    void nonLoopbackBindWithoutTokenIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DashboardServer.start(ServerOptions.defaults().bind("0.0.0.0").port(0), DashboardServerTest::waiting, List::of));
        assertTrue(e.getMessage().contains("requires a token"), e.getMessage());
        assertThrows(ConfigException.class, () -> ServerOptions.defaults().token("short"));
        assertThrows(ConfigException.class, () -> ServerOptions.defaults().port(70000));
        ServerOptions withToken = ServerOptions.defaults().bind("0.0.0.0").token(TOKEN).validate();
        assertTrue(!withToken.toString().contains(TOKEN), withToken.toString());
    }

    @Test
    void badRequestsGet4xxAndTheServerKeepsServing() throws Exception {
        try (DashboardServer s = server(null, DashboardServerTest::waiting)) {
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "api/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals(404, get(s, "/nope").statusCode());
            assertEquals(404, get(s, "/static/..%2F..%2Fpom.xml").statusCode());
            assertEquals(404, get(s, "/static/SOURCE.md").statusCode());
            assertEquals(404, get(s, "/static/missing.js").statusCode());
            assertTrue(rawGet(s, "/api/metrics?token=%zz").startsWith("HTTP/1.1 400"));
            assertEquals(200, get(s, "/static/uPlot.iife.min.js").statusCode());
            assertEquals(200, get(s, "/healthz").statusCode());
        }
        Supplier<ObjectNode> failing = () -> {
            throw new IllegalStateException("table gone");
        };
        try (DashboardServer s = server(null, failing)) {
            HttpResponse<String> r = get(s, "/api/metrics");
            assertEquals(500, r.statusCode());
            assertEquals("internal error\n", r.body());
            assertEquals(200, get(s, "/api/health").statusCode());
        }
    }

    @Test
    void prometheusEndpointServesTheFiguresInTextFormat() throws Exception {
        try (DashboardServer s = server(null, DashboardServerTest::waiting)) {
            HttpResponse<String> r = get(s, "/metrics");
            assertEquals(200, r.statusCode());
            assertEquals(Prometheus.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("streampatterns_query_state_rows{query=\"requests_per_minute\","
                    + "id=\"6f1f3c9e-0000-4000-8000-000000000001\"} 150\n"), r.body());
            JsonNode health = Json.parse(get(s, "/api/health").body());
            assertEquals(120000, health.path("queries").get(0).path("watermarkDelayMs").asLong());
        }
    }

    @Test
    void apiMetricsWaitsForDataWhileTheTablesAreMissing() throws Exception {
        MonitorTables tables = MonitorTables.of(TestSpark.get(), tmp.resolve("monitor").toUri());
        try (DashboardServer s = server(null, tables::metrics)) {
            JsonNode m = Json.parse(get(s, "/api/metrics").body());
            assertEquals("waiting", m.path("status").asText());
            assertEquals(0, m.path("minutes").path("t").size());
            assertEquals(0, m.path("alerts").path("active").size());
        }
    }

    @Test
    void apiMetricsShowsTheRecentRowsOfTheMonitorTables() throws Exception {
        MonitorFixture f = new MonitorFixture(TestSpark.get(), tmp.resolve("monitor"), Instant.parse("2024-05-01T10:00:00Z"));
        Instant t0958 = Instant.parse("2024-05-01T09:58:00Z");
        Instant t0959 = Instant.parse("2024-05-01T09:59:00Z");
        Instant t1000 = Instant.parse("2024-05-01T10:00:00Z");
        f.minutes(minute(Instant.parse("2024-05-01T06:00:00Z"), 5, 0, 0, 1.0, 2.0, 3.0),   // beyond the 3 h horizon
                minute(t0959, 120, 6, 1, null, null, null),
                minute(t0958, 100, 5, 0, null, null, null));
        f.minutes(minute(t1000, 90, 9, 3, 12.0, 40.0, 95.0));
        String[] names = {"/a", "/b", "/c", "/d", "/e", "/f"};
        for (int i = 0; i < names.length; i++) {
            f.endpoints(endpoint(names[i], minute(t0959, 10 + i, 0, 0, null, null, null)),
                    endpoint(names[i], minute(t1000, 20 + i, 1, 0, null, null, null)));
        }
        f.sliding(sliding("*", "5m/1m", Duration.ofMinutes(5), minute(t0958, 500, 10, 1, null, null, null)),
                sliding("*", "5m/1m", Duration.ofMinutes(5), minute(t0959, 510, 12, 2, null, null, null)),
                sliding("/a", "1h/1m", Duration.ofHours(1), minute(t0959, 3000, 0, 0, null, null, null)));
        f.alerts(alert("error_rate", "/a", "firing", "critical", t0958, t0958, "5xx > 2%"),
                alert("error_rate", "/a", "resolved", "critical", t1000, t0958, "back to normal"),
                alert("latency_p95", "*", "firing", "warning", t0959, t0959, "p95 > 200 ms"));

        MonitorTables tables = MonitorTables.of(TestSpark.get(), f.dir().toUri());
        try (DashboardServer s = server(null, tables::metrics)) {
            JsonNode m = Json.parse(get(s, "/api/metrics").body());
            assertEquals("ok", m.path("status").asText());
            assertEquals("2024-05-01T10:00:00Z", m.path("newest").asText());
            JsonNode minutes = m.path("minutes");
            assertEquals("[1714557480,1714557540,1714557600]", minutes.path("t").toString());
            assertEquals("[100,120,90]", minutes.path("requests").toString());
            assertEquals("[5,6,9]", minutes.path("errors_4xx").toString());
            assertEquals("[null,null,40.0]", minutes.path("latency_ms_p95").toString());
            assertEquals("[2000.0,2000.0,2000.0]", minutes.path("bytes_p95").toString());

            JsonNode endpoints = m.path("endpoints");
            assertEquals(MonitorTables.TOP_ENDPOINTS, endpoints.size());
            assertEquals("/f", endpoints.get(0).path("endpoint").asText(), "most requests first");
            assertEquals(15 + 25, endpoints.get(0).path("requests").asLong());
            assertEquals("[15,25]", endpoints.get(0).path("series").path("requests").toString());
            assertEquals("/b", endpoints.get(4).path("endpoint").asText(), "/a has the fewest and is left out");

            JsonNode sliding = m.path("sliding");
            assertEquals(2, sliding.size());
            assertEquals("*", sliding.get(0).path("endpoint").asText());
            assertEquals("2024-05-01T10:00:00Z", sliding.get(0).path("window_end").asText(), "latest window of *");
            assertEquals(510, sliding.get(0).path("requests").asLong());
            assertEquals("1h/1m", sliding.get(1).path("window").asText());

            JsonNode active = m.path("alerts").path("active");
            assertEquals(1, active.size(), "error_rate/a resolved after it fired");
            assertEquals("latency_p95", active.get(0).path("rule").asText());
            assertEquals("2024-05-01T09:59:00Z", active.get(0).path("since").asText());
            assertEquals(3, m.path("alerts").path("recent").size());
            assertEquals("resolved", m.path("alerts").path("recent").get(0).path("state").asText(), "newest transition first");
        }
    }

    @Test
    void tablesAreReadAgainOnlyAfterTheRefreshInterval() {
        MonitorFixture f = new MonitorFixture(TestSpark.get(), tmp.resolve("monitor"), Instant.parse("2024-05-01T10:00:00Z"));
        f.minutes(minute(Instant.parse("2024-05-01T10:00:00Z"), 90, 0, 0, null, null, null));
        MonitorTables cachedHour = MonitorTables.of(TestSpark.get(), f.dir().toUri()).refreshEvery(Duration.ofHours(1));
        MonitorTables everyCall = MonitorTables.of(TestSpark.get(), f.dir().toUri()).refreshEvery(Duration.ZERO);
        assertEquals(1, cachedHour.metrics().path("minutes").path("t").size());
        assertEquals(1, everyCall.metrics().path("minutes").path("t").size());

        f.minutes(minute(Instant.parse("2024-05-01T10:01:00Z"), 95, 0, 0, null, null, null));
        assertEquals(1, cachedHour.metrics().path("minutes").path("t").size(), "served from the cache");
        JsonNode fresh = everyCall.metrics();
        assertEquals("[90,95]", fresh.path("minutes").path("requests").toString());
        assertEquals(1, fresh.path("tables").path(MonitorTables.MINUTES).asLong(), "Delta version of the second commit");
    }
}
