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

/** {@code streampatterns run SPEC}: checks a SQL pipeline, then runs it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a SQL pipeline into Delta tables, exactly once.",
                "SPEC is an SDP spark-pipeline.yml (or its directory), with our overlay streampatterns.yml next to it.",
                "The pipeline is first checked as `validate` does: with a problem nothing starts (exit code 2). Each"
                        + " streaming table is written to STORAGE/TABLE, checkpointed under STORAGE/_checkpoints; expectations"
                        + " drop, fail or quarantine rows (STORAGE/TABLE_quarantine); bad input records go to"
                        + " STORAGE/SOURCE_quarantine. Running the same command again resumes."})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "The spark-pipeline.yml (or its directory).")
    Path spec;

    @Mixin
    PipelineOptions options;

    @Option(names = "--once", description = "Process what is available, flow after flow in dependency order, then exit.")
    boolean once;

    @Override
    public Integer call() {
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-run");
        Pipeline pipeline;
        try {
            pipeline = Pipeline.load(spark, spec, options.conf(), options.storage(), true);
        } catch (PipelineException e) {
            e.problems().forEach(System.out::println);
            System.err.println(e.problems().size() + " problem(s); nothing was started");
            return Cli.CONFIG_ERROR;
        }
        PipelineRunner.run(spark, pipeline, once);
        System.err.println(pipeline.spec().name() + ": tables under " + pipeline.spec().storage());
        return 0;
    }

    public static void main(String[] args) {
        Cli.main(new RunCommand(), args);
    }
}
