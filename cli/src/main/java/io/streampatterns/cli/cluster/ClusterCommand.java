package io.streampatterns.cli.cluster;

import io.streampatterns.apps.cli.DurationConverter;
import io.streampatterns.cli.SparkMaster;
import io.streampatterns.core.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code cluster start|status|stop}: a Spark standalone cluster on this machine, for {@code --master}. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, inspect or stop a Spark standalone cluster on this machine.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Stop.class})
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The run directory option every subcommand has. */
    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "Run directory: state (cluster.json), logs, the workers' work dirs. Default: ~/.streampatterns/cluster.")
        Path dir;

        Path dir() {
            return dir == null ? ClusterOptions.defaultDir() : dir;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a master and N workers, print the master URL.",
                    "Each is a JVM of its own; the web UI's URL is printed too.",
                    "Run a pipeline on it with --master URL; stop it with 'cluster stop'."})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DirOption dir;
        @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Worker JVMs (default: 2).")
        int workers;
        @Option(names = "--cores", defaultValue = "1", paramLabel = "C", description = "Cores each worker offers (default: 1).")
        int cores;
        @Option(names = "--memory", defaultValue = "1g", paramLabel = "M",
                description = "Memory each worker offers to executors, e.g. 1g, 1536m (default: 1g; an executor takes 1g unless spark.executor.memory says less).")
        String memory;
        @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class, paramLabel = "D",
                description = "How long to wait for every worker to register (default: 120s).")
        Duration timeout;

        @Override
        public Integer call() {
            ClusterOptions options = ClusterOptions.of(workers, cores, memory, dir.dir());
            Path home = SparkMaster.home().orElseThrow(() -> new ConfigException(
                    "cluster start: cannot find the project's build (run it through bin/streampatterns)"));
            ClusterState state = LocalCluster.start(options, home, timeout);
            PrintWriter out = spec.commandLine().getOut();
            out.println("master=" + state.masterUrl());
            out.println("web-ui=" + state.webUiUrl());
            out.println(workers + " worker" + (workers == 1 ? "" : "s") + " of " + cores + " core" + (cores == 1 ? "" : "s")
                    + " and " + options.memoryMb() + " MiB; logs in " + options.dir().toAbsolutePath().resolve("logs"));
            out.println("run a pipeline on it: bin/streampatterns COMMAND --master " + state.masterUrl() + " ...");
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Say what runs: workers, cores, memory, applications.",
                    "Exit code 0 when the master answers, 3 when no cluster runs."})
    static final class Status implements Callable<Integer> {
        static final int NOT_RUNNING = 3;
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<ClusterState> state = LocalCluster.state(dir.dir());
            if (state.isEmpty() || !LocalCluster.isAlive(state.get().master())) {
                out.println("no cluster runs in " + dir.dir().toAbsolutePath());
                out.flush();
                return NOT_RUNNING;
            }
            ClusterState s = state.get();
            MasterStatus status = LocalCluster.status(s);
            out.println("master=" + s.masterUrl() + " web-ui=" + s.webUiUrl());
            out.println(status.summary());
            for (MasterStatus.Worker w : status.workers()) {
                out.println("  worker " + w.id() + " " + w.state() + ": " + w.coresUsed() + "/" + w.cores() + " cores, "
                        + w.memoryUsedMb() + "/" + w.memoryMb() + " MiB");
            }
            for (MasterStatus.App a : status.activeApps()) {
                out.println("  application " + a.id() + " '" + a.name() + "' " + a.state() + ": " + a.cores() + " cores");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the workers and their executors, then the master.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() {
            boolean stopped = LocalCluster.stop(dir.dir());
            PrintWriter out = spec.commandLine().getOut();
            out.println(stopped ? "stopped the cluster of " + dir.dir().toAbsolutePath()
                    : "no cluster was started in " + dir.dir().toAbsolutePath());
            out.flush();
            return 0;
        }
    }
}
