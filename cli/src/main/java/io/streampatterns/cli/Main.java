package io.streampatterns.cli;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code bin/streampatterns}: the entry point that gathers every command of the project. */
@Command(name = "streampatterns", mixinStandardHelpOptions = true, version = "streampatterns 0.1.0",
        description = "Streaming use cases and design patterns on Apache Spark Structured Streaming.",
        subcommands = {
                io.streampatterns.apps.aggregate.AggregateCommand.class,
                io.streampatterns.dashboard.DashboardCommand.class,
                io.streampatterns.apps.demo.DemoCommand.class,
                io.streampatterns.apps.fraud.FraudCommand.class,
                io.streampatterns.apps.generate.GenerateCommand.class,
                io.streampatterns.apps.ingest.IngestCommand.class,
                io.streampatterns.apps.join.JoinCommand.class,
                io.streampatterns.apps.monitor.MonitorCommand.class,
                io.streampatterns.apps.sessions.SessionsCommand.class,
                io.streampatterns.apps.show.ShowCommand.class,
                io.streampatterns.apps.stats.StatsCommand.class,
                io.streampatterns.apps.state.StateCommand.class,
                io.streampatterns.bench.BenchCommand.class,
                io.streampatterns.apps.kafka.KafkaCommand.class,
                io.streampatterns.apps.search.SearchCommand.class,
                io.streampatterns.apps.fraud.ModelCommand.class,
                io.streampatterns.apps.pipeline.ValidateCommand.class,
                io.streampatterns.apps.pipeline.RunCommand.class,
                io.streampatterns.apps.pipeline.PipelineCommand.class,
                io.streampatterns.apps.pipeline.SqlCommand.class,
                io.streampatterns.cli.cluster.ClusterCommand.class,
        })
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Every command takes it (before or after the command's name); it applies before a command builds its session. */
    @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Spark master to run on: local[*] (default), spark://HOST:PORT (e.g. from 'cluster start'), "
                    + "yarn, k8s://... Default: $SPARK_MASTER, else local[*]. Off local, the assembly jar is shipped to "
                    + "the executors.")
    void master(String url) {
        try {
            SparkMaster.use(url, SparkMaster.home());
        } catch (ConfigException e) {
            // picocli would wrap any other exception of a setter in "Could not invoke ..."
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        try {
            SparkMaster.fromEnvironment(SparkMaster.home());
        } catch (ConfigException e) {
            System.err.println("error: SPARK_MASTER: " + e.getMessage().replaceFirst("^--master: ", ""));
            System.exit(Cli.CONFIG_ERROR);
        }
        Cli.main(new Main(), args);
    }
}
