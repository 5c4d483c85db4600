package io.streampatterns.sink.search;

import io.streampatterns.core.ConfigException;

import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Where a search sink writes: an OpenSearch (or Elasticsearch-compatible) base URL, an index, the column whose value is
 * the document id, optional basic-auth credentials, bulk request bounds and the retry policy. Immutable.
 *
 * <p>The password comes from {@link #withPassword} or the environment variable {@value #PASSWORD_ENV}; it is never
 * part of {@link #toString()} or of an error message. A URL carrying credentials ({@code http://u:p@host}) is
 * refused, so they cannot end up in logs or the process list.</p>
 */
public final class SearchTarget implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PASSWORD_ENV = "STREAMPATTERNS_SEARCH_PASSWORD";
    /** Documents per bulk request at most (Logstash's and the OpenSearch clients' usual order of magnitude). */
    public static final int DEFAULT_BULK_DOCS = 1000;
    /** Bytes per bulk request at most (well under the 100 MB {@code http.max_content_length}). */
    public static final int DEFAULT_BULK_BYTES = 5 * 1024 * 1024;

    private final String url;
    private final String index;
    private final String idColumn;
    private final String user;
    private final String password;
    private final int bulkDocs;
    private final int bulkBytes;
    private final Retry retry;

    private SearchTarget(String url, String index, String idColumn, String user, String password, int bulkDocs,
                         int bulkBytes, Retry retry) {
        this.url = url;
        this.index = index;
        this.idColumn = idColumn;
        this.user = user;
        this.password = password;
        this.bulkDocs = bulkDocs;
        this.bulkBytes = bulkBytes;
        this.retry = retry;
    }

    /** Index {@code index} at {@code url} ({@code http[s]://host:port}); the document id is the value of {@code idColumn}. */
    public static SearchTarget of(String url, String index, String idColumn) {
        ConfigException.check(url != null && url.matches("https?://[^/@\\s]+(:\\d+)?/?"),
                "--search must be http[s]://HOST:PORT (no credentials, no path), got '" + (url == null ? "" : url.replaceAll("//[^@/]*@", "//***@")) + "'");
        ConfigException.check(index != null && index.matches("[a-z0-9][a-z0-9_.+-]*") && index.length() <= 255,
                "--index must be a lower-case OpenSearch index name (a-z, 0-9, _ . + -), got '" + index + "'");
        ConfigException.check(idColumn != null && !idColumn.isBlank(), "search sink: an id column is required");
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new SearchTarget(base, index, idColumn, null, System.getenv(PASSWORD_ENV), DEFAULT_BULK_DOCS,
                DEFAULT_BULK_BYTES, Retry.defaults());
    }

    public SearchTarget withUser(String u) {
        return new SearchTarget(url, index, idColumn, u, password, bulkDocs, bulkBytes, retry);
    }

    public SearchTarget withPassword(String p) {
        return new SearchTarget(url, index, idColumn, user, p, bulkDocs, bulkBytes, retry);
    }

    /** Bounds of one bulk request: at most {@code docs} documents and about {@code bytes} bytes of body. */
    public SearchTarget withBulkLimits(int docs, int bytes) {
        ConfigException.check(docs > 0 && bytes > 0, "search sink: bulk limits must be positive, got " + docs + " docs, " + bytes + " bytes");
        return new SearchTarget(url, index, idColumn, user, password, docs, bytes, retry);
    }

    public SearchTarget withRetry(Retry r) {
        return new SearchTarget(url, index, idColumn, user, password, bulkDocs, bulkBytes, r);
    }

    public String url() {
        return url;
    }

    public String index() {
        return index;
    }

    public String idColumn() {
        return idColumn;
    }

    public int bulkDocs() {
        return bulkDocs;
    }

    public int bulkBytes() {
        return bulkBytes;
    }

    public Retry retry() {
        return retry;
    }

    /** {@code url + path}, e.g. {@code /clicks/_bulk}. */
    URI uri(String path) {
        return URI.create(url + path);
    }

    /** A request builder for {@code path} with the credentials, if any. */
    HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        if (user != null) {
            String pair = user + ":" + (password == null ? "" : password);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    @Override
    public String toString() {
        return "SearchTarget{url=" + url + ", index=" + index + ", id=" + idColumn + ", user=" + user
                + ", password=" + (password == null ? "(none)" : "***") + ", bulk=" + bulkDocs + " docs/" + bulkBytes + " bytes}";
    }

    /**
     * Retries of a request answered 429 (too many requests) or 5xx, or not answered (connection refused, timeout):
     * exponential backoff from {@code initial}, doubling up to {@code max}, with full jitter, at most {@code attempts}
     * tries in all.
     */
    public static final class Retry implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int attempts;
        private final Duration initial;
        private final Duration max;

        private Retry(int attempts, Duration initial, Duration max) {
            this.attempts = attempts;
            this.initial = initial;
            this.max = max;
        }

        /** 8 tries, 100 ms doubling up to 10 s (about 25 s of waiting at worst). */
        public static Retry defaults() {
            return of(8, Duration.ofMillis(100), Duration.ofSeconds(10));
        }

        public static Retry of(int attempts, Duration initial, Duration max) {
            ConfigException.check(attempts >= 1, "search sink: retry attempts must be >= 1, got " + attempts);
            ConfigException.check(!initial.isNegative() && max.compareTo(initial) >= 0, "search sink: backoff must be 0 <= initial <= max");
            return new Retry(attempts, initial, max);
        }

        public int attempts() {
            return attempts;
        }

        /** The upper bound of the wait before try {@code attempt + 1} (attempt counted from 1). */
        long ceilingMillis(int attempt) {
            long m = initial.toMillis() << Math.min(attempt - 1, 30);
            return Math.min(m < 0 ? Long.MAX_VALUE : m, max.toMillis());
        }
    }
}
