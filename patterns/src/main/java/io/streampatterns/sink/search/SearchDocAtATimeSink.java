package io.streampatterns.sink.search;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * ANTI-PATTERN, kept only as the baseline of {@code bench}: one HTTP request per document ({@code PUT
 * /INDEX/_doc/ID}), as a hand-written {@code foreach} sink does. It writes the same documents with the same ids and
 * the same retries as {@link SearchSink}, so both leave the same index and the benchmark measures bulk requests
 * alone. Do not use it in a pipeline.
 */
public final class SearchDocAtATimeSink {
    private final SearchTarget target;

    private SearchDocAtATimeSink(SearchTarget target) {
        this.target = target;
    }

    public static SearchDocAtATimeSink of(SearchTarget target) {
        return new SearchDocAtATimeSink(target);
    }

    /** Indexes every row of {@code docs}, one request each (the index must exist: {@link SearchSink} creates it). */
    public void write(Dataset<Row> docs) {
        SearchTarget t = target;
        SearchSink.documents(docs, t.idColumn()).foreachPartition((ForeachPartitionFunction<Row>) rows -> {
            while (rows.hasNext()) {
                Row r = rows.next();
                String id = URLEncoder.encode(BulkWriter.documentId(r.getString(0)), StandardCharsets.UTF_8);
                HttpResponse<byte[]> answer = SearchHttp.send(t, t.request("/" + t.index() + "/_doc/" + id, SearchHttp.REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(r.getString(1))).build());
                if (answer.statusCode() != 200 && answer.statusCode() != 201) {
                    throw new IllegalStateException("document " + r.getString(0) + ": HTTP " + answer.statusCode() + ": "
                            + BulkWriter.excerpt(answer.body()));
                }
            }
        });
    }
}
