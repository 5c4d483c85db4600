package io.streampatterns.apps.demo;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.fraud.FraudApp;
import io.streampatterns.apps.fraud.FraudCommand;
import io.streampatterns.apps.fraud.FraudOptions;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.RawInput;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.file.Path;
import java.util.List;

/**
 * Use case 3 in the demo: generated card payments with a fraud-pattern change half-way and their labels arriving
 * hours to days later, scored and learnt online (built-in per-card features), one file of each per micro-batch.
 */
final class FraudDemo implements DemoStep {
    static final long EVENTS = 10_000;
    static final double LIVE_RATE = 500;

    @Override
    public String name() {
        return "fraud";
    }

    @Override
    public void prepare(DemoContext ctx) {
        GeneratorOptions g = GeneratorOptions.seed(11).withCards(200).withDriftAt(EVENTS / 2);
        if (ctx.live()) {
            Thread t = new Thread(() -> Generation.run(Dataset.TRANSACTIONS, g.withDriftAt(200_000),
                    OutputOptions.of(ctx.input("fraud-transactions"), Long.MAX_VALUE / 4).withRate(LIVE_RATE)), "demo-transactions");
            t.setDaemon(true);
            t.start();
        } else {
            Generation.run(Dataset.TRANSACTIONS, g, OutputOptions.of(ctx.input("fraud-transactions"), EVENTS).withEventsPerFile(1_000));
        }
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        Path in = ctx.input("fraud-transactions");
        createDirectory(in.resolve("labels"));
        FraudOptions o = FraudOptions.of(Storage.text(ctx.table("fraud")))
                .withCheckpoint(Storage.text(ctx.checkpoint("fraud"))).withEvalWindow(500);
        return List.of(FraudApp.start(FraudCommand.topLevelFiles(RawInput.files(ctx.spark(), in, 1), in),
                RawInput.files(ctx.spark(), in.resolve("labels"), 1), BuiltinSchemas.resolve("transactions", null, null),
                o, ctx.trigger()));
    }

    /** In a live demo the generator creates the labels directory only with its first file: the file source needs it now. */
    private static void createDirectory(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(
                DemoCommand.tableLine(ctx, "fraud/scores", "every payment scored once, with its model version"),
                DemoCommand.tableLine(ctx, "fraud/alerts", "payments scored at or above the threshold"),
                DemoCommand.tableLine(ctx, "fraud/models", "model versions (bin/streampatterns model list --output DIR)"),
                DemoCommand.tableLine(ctx, "fraud/evaluation", "prequential AUC, log loss, precision/recall per window"),
                DemoCommand.tableLine(ctx, "fraud/drift", "ADWIN / Page-Hinkley detections and the adaptation done"));
    }
}
