package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streampatterns.core.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP server (the JDK's {@link HttpServer} on a small thread pool):
 * <ul>
 *   <li>{@code /} the page, {@code /static/NAME} its scripts and styles (classpath resources);</li>
 *   <li>{@code /api/metrics} the monitor's tables as JSON ({@link MonitorTables#metrics()}),
 *       {@code /api/health} the query figures as JSON;</li>
 *   <li>{@code /metrics} the query figures in the Prometheus text format, {@code /healthz} liveness ("ok").</li>
 * </ul>
 * With a token ({@link ServerOptions#token(String)}) every request but {@code /healthz} must present it as
 * {@code Authorization: Bearer TOKEN} or {@code ?token=TOKEN}, else 401. Only GET and HEAD are served.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String STATIC = "/io/streampatterns/dashboard/static/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final String CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService pool;
    private final byte[] token;
    private final Supplier<ObjectNode> metrics;
    private final Supplier<List<QueryFigures>> queries;
    private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

    private DashboardServer(ServerOptions options, Supplier<ObjectNode> metrics, Supplier<List<QueryFigures>> queries)
            throws IOException {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.token = options.hasToken() ? options.token().getBytes(StandardCharsets.UTF_8) : null;
        this.server = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 32);
        this.pool = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a server serving {@code metrics} (the {@code /api/metrics} JSON, usually {@link MonitorTables#metrics()})
     * and {@code queries} (the figures for {@code /api/health} and {@code /metrics}).
     *
     * @throws ConfigException when the options are invalid (non-loopback bind without token)
     *                            or the port cannot be bound
     */
    public static DashboardServer start(ServerOptions options, Supplier<ObjectNode> metrics,
                                        Supplier<List<QueryFigures>> queries) {
        options.validate();
        try {
            return new DashboardServer(options, metrics, queries);
        } catch (IOException e) {
            throw new ConfigException("cannot listen on " + options.bindAddress().getHostAddress()
                    + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://HOST:PORT/} (never with the token). */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    /** Stops listening, lets running requests finish (up to 5 s) and stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } catch (BadRequest e) {
            send(ex, 400, "text/plain; charset=utf-8", ("bad request: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} failed", ex.getRequestURI().getRawPath(), e);
            send(ex, 500, "text/plain; charset=utf-8", "internal error\n".getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            text(ex, 405, "method not allowed\n");
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/healthz")) {
            text(ex, 200, "ok\n");
            return;
        }
        if (!authorized(ex)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"streampatterns\"");
            text(ex, 401, "unauthorized: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN\n");
            return;
        }
        if (path.equals("/") || path.equals("/index.html")) {
            ex.getResponseHeaders().set("Content-Security-Policy", CSP);
            resource(ex, "index.html");
        } else if (path.startsWith("/static/")) {
            resource(ex, path.substring("/static/".length()));
        } else if (path.equals("/api/metrics")) {
            ObjectNode body = metrics.get();
            body.put("now", Instant.now().toString());
            json(ex, body);
        } else if (path.equals("/api/health")) {
            json(ex, health());
        } else if (path.equals("/metrics")) {
            send(ex, 200, Prometheus.CONTENT_TYPE, Prometheus.exposition(queries.get()).getBytes(StandardCharsets.UTF_8));
        } else {
            text(ex, 404, "not found\n");
        }
    }

    private ObjectNode health() {
        ObjectNode o = Json.object();
        o.put("now", Instant.now().toString());
        ArrayNode list = o.putArray("queries");
        queries.get().forEach(q -> list.add(q.toJson()));
        return o;
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(header.substring(7).trim());
        }
        return matches(queryParameter(ex.getRequestURI().getRawQuery(), "token"));
    }

    /** Constant-time comparison, so response times do not reveal how much of a guess was right. */
    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed query string");
        }
    }

    private void resource(HttpExchange ex, String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        byte[] body = type == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*") ? null : load(name);
        if (body == null) {
            text(ex, 404, "not found\n");
        } else {
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            send(ex, 200, type, body);
        }
    }

    private byte[] load(String name) {
        byte[] cached = resources.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = DashboardServer.class.getResourceAsStream(STATIC + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            resources.put(name, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(HttpExchange ex, ObjectNode body) {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, 200, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void text(HttpExchange ex, int status, String body) {
        send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        boolean head = ex.getRequestMethod().equals("HEAD");
        try {
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
            LOG.debug("dashboard response not sent: {}", e.toString());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A request the server cannot read (e.g. malformed query string): answered 400. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
