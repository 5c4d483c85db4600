package io.streampatterns.cli;

import io.streampatterns.apps.cli.Cli;
import picocli.CommandLine.Command;

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
        })
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        Cli.main(new Main(), args);
    }
}
