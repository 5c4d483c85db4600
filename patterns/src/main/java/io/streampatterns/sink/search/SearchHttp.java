package io.streampatterns.sink.search;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP calls to the search engine with the target's retry policy: a 429 or 5xx answer, or none at all (connection
 * refused or reset, timeout), is retried after an exponential backoff with full jitter; any other answer is returned.
 * One {@link HttpClient} per JVM (driver and executors), shared by all writers: it pools connections and is
 * thread-safe.
 */
final class SearchHttp {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private SearchHttp() {
    }

    /** Sends {@code request}, retrying as the class doc says; throws {@link SearchUnavailableException} when tries run out. */
    static HttpResponse<byte[]> send(SearchTarget target, HttpRequest request) {
        SearchTarget.Retry retry = target.retry();
        String last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (!retryable(r.statusCode())) {
                    return r;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling " + target.url(), e);
            }
            if (attempt >= retry.attempts()) {
                throw new SearchUnavailableException(request.method() + " " + target.url() + request.uri().getRawPath()
                        + " failed after " + attempt + " tries: " + last);
            }
            backoff(retry, attempt);
        }
    }

    /** 429 (the node's queues are full) and 5xx (node restarting, shard not ready) pass; other answers do not change. */
    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /** Sleeps a random time in [0, ceiling] before try {@code attempt + 1} (full jitter spreads retrying tasks apart). */
    static void backoff(SearchTarget.Retry retry, int attempt) {
        long ceiling = retry.ceilingMillis(attempt);
        if (ceiling > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceiling + 1)));
        }
    }

    /** The search engine did not answer usefully within the retry policy. */
    static final class SearchUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SearchUnavailableException(String message) {
            super(message);
        }
    }
}
