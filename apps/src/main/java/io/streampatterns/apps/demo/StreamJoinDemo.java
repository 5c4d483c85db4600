package io.streampatterns.apps.demo;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.apps.join.JoinOutput;
import io.streampatterns.apps.join.StreamJoinApp;
import io.streampatterns.core.EventTime;
import io.streampatterns.joins.StreamStreamJoin;
import io.streampatterns.joins.TimeRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.time.Duration;
import java.util.List;

/**
 * Stream–stream join in the demo: page impressions (page views) joined with the same user's clicks in the next
 * 5 minutes, left outer: impressions without a click are emitted with nulls once the watermark rules a click out.
 */
final class StreamJoinDemo implements DemoStep {
    @Override
    public String name() {
        return "stream-join";
    }

    @Override
    public void prepare(DemoContext ctx) {
        // reads the clickstream the ingest step generates
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        EventInput in = EventInput.files(ctx.spark(), ctx.input("clickstream"), 2,
                BuiltinSchemas.resolve("clickstream", null, null));
        Dataset<Row> events = in.events();
        Dataset<Row> impressions = events.filter("type = 'page_view'").select("user_id", "ts", "page", "campaign");
        Dataset<Row> clicks = events.filter("type = 'click'").select("user_id", "ts", "page");
        EventTime ts = EventTime.of("ts", Duration.ofMinutes(10));
        StreamStreamJoin.Options options = StreamStreamJoin.Options.of("user_id", ts, ts,
                        TimeRange.of(Duration.ZERO, Duration.ofMinutes(5)))
                .withType(StreamStreamJoin.Type.LEFT_OUTER);
        JoinOutput out = JoinOutput.of(ctx.table("impressions_clicks"), ctx.checkpoint("stream-join"));
        return List.of(StreamJoinApp.start(ctx.spark(), impressions, clicks, options, out, ctx.trigger(),
                QuarantineTable.of(out.quarantine().toString(), in)));
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(DemoCommand.tableLine(ctx, "impressions_clicks",
                "page views with the user's clicks in the next 5 min (stream-stream, left outer)"));
    }
}
