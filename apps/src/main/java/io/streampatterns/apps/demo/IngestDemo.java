package io.streampatterns.apps.demo;

import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.apps.generate.SampleData;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestApp;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.quarantine.RecordFormat;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Use case 1 in the demo: generated clickstream and the real Apache log ingested into the lake, with quarantine. */
final class IngestDemo implements DemoStep {
    static final long EVENTS = 50_000;
    static final double LIVE_RATE = 2_000;

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public void prepare(DemoContext ctx) {
        try {
            Path apache = Files.createDirectories(ctx.input("apache"));
            Files.copy(SampleData.apacheLogs(), apache.resolve("apache_logs.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(ctx.input("clickstream"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutputOptions out = OutputOptions.of(ctx.input("clickstream"), EVENTS).withEventsPerFile(10_000);
        if (ctx.live()) {
            Thread t = new Thread(() -> Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(7),
                    OutputOptions.of(ctx.input("clickstream"), Long.MAX_VALUE / 4).withRate(LIVE_RATE)), "demo-clickstream");
            t.setDaemon(true);
            t.start();
        } else {
            Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(7), out);
        }
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        List<StreamingQuery> qs = new ArrayList<>();
        IngestApp.Options clicks = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                RecordFormat.JSON_LINES, ctx.lake(), "clicks").withCheckpoint(ctx.checkpoint("ingest-clicks"));
        qs.add(IngestApp.start(ctx.spark(), RawInput.files(ctx.spark(), ctx.input("clickstream"), 2, RecordFormat.JSON_LINES, clicks.schema()), clicks, ctx.trigger()));
        IngestApp.Options access = IngestApp.Options.of(BuiltinSchemas.resolve("apache-log", null, null),
                RecordFormat.APACHE_LOG, ctx.lake(), "access").withCheckpoint(ctx.checkpoint("ingest-access"));
        qs.add(IngestApp.start(ctx.spark(), RawInput.files(ctx.spark(), ctx.input("apache"), 0, RecordFormat.APACHE_LOG, access.schema()), access, ctx.trigger()));
        return qs;
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(
                DemoCommand.tableLine(ctx, "clicks", "clickstream events, deduplicated, by event_date"),
                DemoCommand.tableLine(ctx, "clicks_quarantine", "clickstream records that failed a check"),
                DemoCommand.tableLine(ctx, "access", "the real Apache access log (10,000 lines), parsed"),
                DemoCommand.tableLine(ctx, "access_quarantine", "Apache log lines that failed a check"));
    }
}
