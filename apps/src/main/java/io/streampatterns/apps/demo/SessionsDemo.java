package io.streampatterns.apps.demo;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.apps.sessions.SessionsApp;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.time.Duration;
import java.util.List;

/** Sessionization in the demo: the generated clickstream cut into visits with the Google-Analytics-style rules. */
final class SessionsDemo implements DemoStep {
    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public void prepare(DemoContext ctx) {
        // reads the clickstream the ingest step generates
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        EventInput in = EventInput.files(ctx.spark(), ctx.input("clickstream"), 2,
                BuiltinSchemas.resolve("clickstream", null, null));
        Dataset<Row> clicks = in.events();
        SessionRules rules = SessionRules.gap(Duration.ofMinutes(30))
                .withMaxDuration(Duration.ofHours(4))
                .withCloseWhen("type = 'logout'")
                .withSplitAtMidnight("UTC")
                .withSplitOn("campaign");
        SessionOptions sessions = SessionOptions.of("user_id", EventTime.of("ts", Duration.ofMinutes(10))).rules(rules)
                .emit(EmitMode.APPEND);
        SessionsApp.Options options = SessionsApp.Options.of(sessions, ctx.table("sessions"))
                .withColumns("page", "campaign", "amount");
        return List.of(SessionsApp.start(ctx.spark(), clicks, options, ctx.checkpoint("sessions"), ctx.trigger(),
                QuarantineTable.of(Storage.text(ctx.table("sessions_quarantine")), in)));
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(DemoCommand.tableLine(ctx, "sessions",
                "clickstream visits: 30 min gap, 4 h max, logout, midnight and campaign splits"));
    }
}
