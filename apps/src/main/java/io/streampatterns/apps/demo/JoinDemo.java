package io.streampatterns.apps.demo;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.apps.join.JoinOutput;
import io.streampatterns.apps.join.TemporalJoinApp;
import io.streampatterns.core.EventTime;
import io.streampatterns.joins.Scd2Table;
import io.streampatterns.joins.TemporalJoin;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.time.Duration;
import java.util.List;

/** Joins in the demo: card transactions enriched with the merchant version valid at each transaction's time. */
final class JoinDemo implements DemoStep {
    static final int MERCHANTS = 500;

    @Override
    public String name() {
        return "join";
    }

    @Override
    public void prepare(DemoContext ctx) {
        GeneratorOptions g = GeneratorOptions.seed(7).withMerchants(MERCHANTS);
        Generation.run(Dataset.TRANSACTIONS, g, OutputOptions.of(ctx.input("transactions"), 20_000));
        Generation.run(Dataset.MERCHANTS, g, OutputOptions.of(ctx.input("merchants"), 3_000));
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        EventInput factInput = EventInput.files(ctx.spark(), ctx.input("transactions"), 1,
                BuiltinSchemas.resolve("transactions", null, null));
        EventInput changeInput = EventInput.files(ctx.spark(), ctx.input("merchants"), 1,
                BuiltinSchemas.resolve("merchants", null, null));
        JoinOutput out = JoinOutput.of(ctx.table("transactions_enriched"), ctx.checkpoint("join"));
        TemporalJoin.Options options = TemporalJoin.Options.of("merchant_id", EventTime.of("ts", Duration.ofMinutes(5)),
                        EventTime.of("change_ts", Duration.ofMinutes(5)))
                .withDeleteWhen("op", "delete");
        return List.of(
                TemporalJoinApp.start(ctx.spark(), factInput.events(), changeInput.events(), options, out, ctx.trigger(),
                        QuarantineTable.of(out.quarantine().toString(), factInput, changeInput)),
                TemporalJoinApp.startHistory(changeInput.eventsWithoutCapture(), Scd2Table.Options.of(Storage.text(ctx.table("merchants_scd2")),
                        "merchant_id", "change_ts").withDeleteWhen("op", "delete"), out, ctx.trigger()));
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(
                DemoCommand.tableLine(ctx, "transactions_enriched", "transactions + merchant version valid at their time (temporal join)"),
                DemoCommand.tableLine(ctx, "merchants_scd2", "merchant history as SCD type 2 (valid_from, valid_to, is_current)"));
    }
}
