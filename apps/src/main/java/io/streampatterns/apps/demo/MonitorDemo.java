package io.streampatterns.apps.demo;

import io.streampatterns.alerts.AlertRules;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.apps.monitor.MonitorApp;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.kafka.KafkaTarget;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.util.List;

/**
 * Use case 2 in the demo: generated Apache logs (with response times and a few incidents) → the monitor's minutes,
 * sliding windows and alerts (the bundled sample rules), shown live by the dashboard the demo starts.
 */
final class MonitorDemo implements DemoStep {
    static final long LINES = 60_000;
    static final double LIVE_RATE = 1_000;
    static final String RULES = "sample/monitor/rules.yaml";

    @Override
    public String name() {
        return "monitor";
    }

    @Override
    public void prepare(DemoContext ctx) {
        try {
            Files.createDirectories(ctx.input("access-logs"));
            try (InputStream rules = MonitorDemo.class.getClassLoader().getResourceAsStream(RULES)) {
                Files.writeString(ctx.input("monitor-rules.yaml"), new String(rules.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ctx.live()) {
            Thread t = new Thread(() -> Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(11),
                    OutputOptions.of(ctx.input("access-logs"), Long.MAX_VALUE / 4).withRate(LIVE_RATE)), "demo-access-logs");
            t.setDaemon(true);
            t.start();
        } else {
            Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(11),
                    OutputOptions.of(ctx.input("access-logs"), LINES).withEventsPerFile(10_000));
        }
    }

    MonitorApp.Options options(DemoContext ctx) {
        return MonitorApp.Options.of(dir(ctx)).withRules(AlertRules.load(ctx.input("monitor-rules.yaml")))
                .withAlertsToKafka(KafkaTarget.of(ctx.kafkaBootstrap(), HighwayDemo.ALERTS_TOPIC));
    }

    static URI dir(DemoContext ctx) {
        return ctx.table("monitor");
    }

    private EventInput logs(DemoContext ctx) {
        Validation.ValidationOptions v = options(ctx).validation();
        return MonitorApp.input(RawInput.files(ctx.spark(), ctx.input("access-logs"), 2, RecordFormat.APACHE_LOG, MonitorApp.SCHEMA),
                options(ctx), RawInput.rereadFiles(ctx.spark(), RecordFormat.APACHE_LOG, MonitorApp.SCHEMA, v));
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        return List.of(MonitorApp.startMetrics(ctx.spark(), logs(ctx), options(ctx), ctx.checkpoint("monitor"), ctx.trigger()));
    }

    @Override
    public List<StreamingQuery> startAfter(DemoContext ctx) {
        return List.of(MonitorApp.startAlerts(ctx.spark(), logs(ctx), options(ctx), ctx.checkpoint("monitor"), ctx.trigger()));
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(
                DemoCommand.tableLine(ctx, "monitor/requests_per_minute", "generated access logs: all traffic per minute"),
                DemoCommand.tableLine(ctx, "monitor/endpoints_per_minute", "the same per endpoint group"),
                DemoCommand.tableLine(ctx, "monitor/sliding_windows", "5 min and 1 h windows every minute"),
                DemoCommand.tableLine(ctx, "monitor/alerts", "firing/resolved alerts of the sample rules"));
    }
}
