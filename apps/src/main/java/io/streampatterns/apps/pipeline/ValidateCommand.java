package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code streampatterns validate SPEC}: checks a SQL pipeline without starting a query. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a SQL pipeline's files without starting a query.",
                "SPEC is an SDP spark-pipeline.yml (or its directory); its SQL files and our overlay streampatterns.yml are checked.",
                "Reports every problem at once, one line each as FILE:LINE: problem — fix, and exits with code 2:"
                        + " bad YAML, syntax errors, unknown tables and columns, cycles, stateful operators on a stream without"
                        + " a watermark, state that is never evicted (SPARK-30553), output modes Spark cannot run, bad"
                        + " expectations and steps. Nothing is written and no query starts."})
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "The spark-pipeline.yml (or its directory).")
    Path spec;

    @Mixin
    PipelineOptions options;

    @Override
    public Integer call() {
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-validate");
        try {
            Pipeline p = Pipeline.load(spark, spec, options.conf(), options.storage(), false);
            System.out.println(p.spec().name() + ": " + p.graph().flows().size() + " flows, no problem found");
            return 0;
        } catch (PipelineException e) {
            e.problems().forEach(System.out::println);
            System.err.println(e.problems().size() + " problem(s); nothing was started");
            return Cli.CONFIG_ERROR;
        }
    }

    public static void main(String[] args) {
        Cli.main(new ValidateCommand(), args);
    }
}
