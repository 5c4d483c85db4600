package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code streampatterns pipeline graph SPEC}: what a SQL pipeline reads and writes. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Inspect a SQL pipeline without running it.", "graph: its flow graph, as text and as a Mermaid flowchart."},
        subcommands = PipelineCommand.Graph.class)
public final class PipelineCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code pipeline graph SPEC [--mermaid]}. */
    @Command(name = "graph", mixinStandardHelpOptions = true,
            description = {"Print a SQL pipeline's flow graph as text and as Mermaid.",
                    "Sources, temporary views and streaming tables in dependency order, with what each reads, its step, its"
                            + " expectations and where it is defined. The pipeline is checked first, as `validate` does."})
    public static final class Graph implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SPEC", description = "The spark-pipeline.yml (or its directory).")
        Path spec;

        @Mixin
        PipelineOptions options;

        @Option(names = "--mermaid", description = "Print only the Mermaid flowchart.")
        boolean mermaidOnly;

        @Override
        public Integer call() {
            SparkSession spark = SparkSessions.getOrCreate("streampatterns-pipeline");
            try {
                Pipeline p = Pipeline.load(spark, spec, options.conf(), options.storage(), false);
                if (!mermaidOnly) {
                    System.out.println(PipelineGraph.text(p));
                    System.out.println();
                }
                System.out.println(PipelineGraph.mermaid(p));
                return 0;
            } catch (PipelineException e) {
                e.problems().forEach(System.out::println);
                return Cli.CONFIG_ERROR;
            }
        }
    }
}
