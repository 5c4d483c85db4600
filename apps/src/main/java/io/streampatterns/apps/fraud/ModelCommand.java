package io.streampatterns.apps.fraud;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.apps.show.ShowCommand;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.online.LearnerOptions;
import io.streampatterns.online.OnlineLearner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** {@code streampatterns model list|show|rollback|chart --output DIR [--version V] [--png FILE]}: the fraud pipeline's model versions. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"List, inspect, roll back or chart the fraud model's versions.",
                "The versions are in OUTPUT/models, one per micro-batch that trained.",
                "list: every version with its figures; show: one version's state (default: the newest);",
                "rollback: re-issue version V as the newest version, so that the next batch scores with it",
                "(run it while the pipeline is stopped; it takes effect when it resumes);",
                "chart: draw the prequential AUC per evaluation window with the drifts marked (PNG)."})
public final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "list|show|rollback|chart", description = "What to do.")
    String action;

    @Option(names = "--output", required = true, paramLabel = "DIR|URI", converter = LocationConverter.class,
            description = "The fraud pipeline's output directory, local or any Hadoop file system URI.")
    URI output;

    @Option(names = "--version", paramLabel = "V", description = "Model version (show: default newest; rollback: required).")
    Long version;

    @Option(names = "--png", paramLabel = "FILE", description = "chart: the PNG to write (default: OUTPUT/evaluation.png when OUTPUT is local).")
    Path png;

    @Override
    public void run() {
        ConfigException.check(List.of("list", "show", "rollback", "chart").contains(action),
                "model: the action must be list, show, rollback or chart, got '" + action + "'");
        ConfigException.check(!action.equals("rollback") || version != null, "model rollback needs --version V");
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-model");
        ModelStore store = new ModelStore(spark, FraudOptions.of(Storage.text(output)).table("models"));
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> {
                List<Row> rows = store.list().collectAsList();
                out.print(ShowCommand.aligned(store.list().columns(), rows));
            }
            case "show" -> {
                long v = version != null ? version : store.list().agg(org.apache.spark.sql.functions.max("version")).first().getLong(0);
                out.print(describe(v, store.load(v)));
            }
            case "chart" -> {
                ConfigException.check(png != null || "file".equals(output.getScheme()),
                        "model chart: --png FILE is needed when --output is not a local directory");
                Path file = png != null ? png : Path.of(output).resolve("evaluation.png");
                EvaluationChart.write(spark, FraudOptions.of(Storage.text(output)), file);
                out.println("wrote " + file);
            }
            default -> {
                long v = store.rollback(version);
                out.println("version " + v + " = version " + version + "; the next micro-batch scores with it");
            }
        }
        out.flush();
    }

    static String describe(long version, OnlineLearner l) {
        LearnerOptions o = l.options();
        return "version:            " + version + "\n"
                + "labels trained:     " + l.labels() + "\n"
                + "champion updates:   " + l.championUpdates() + " (FTRL alpha " + o.champion().alpha() + ", beta "
                + o.champion().beta() + ", L1 " + o.champion().l1() + ", L2 " + o.champion().l2() + ", "
                + o.champion().dim() + " coordinates)\n"
                + "challenger updates: " + l.challengerUpdates() + " (alpha " + o.challenger().alpha() + ")\n"
                + "features:           " + o.numeric() + " numeric, " + o.categorical() + " hashed strings\n"
                + "evaluation windows: " + l.windows() + " of " + o.evalWindow() + " labels\n"
                + "drifts detected:    " + l.drifts() + " (ADWIN delta " + o.adwinDelta() + ", Page-Hinkley delta "
                + o.phDelta() + " lambda " + o.phLambda() + ")\n"
                + "promotions:         " + l.promotions() + "\n"
                + "alert threshold:    " + o.threshold() + "\n";
    }

    public static void main(String[] args) {
        Cli.main(new ModelCommand(), args);
    }
}
