package io.streampatterns.cli.cluster;

import io.streampatterns.core.ConfigException;
import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine: one {@code deploy.master.Master} and N {@code deploy.worker.Worker}
 * JVMs, run from the Spark jars the project's build resolved (no Spark download), on 127.0.0.1 and free ports.
 *
 * <p>A worker starts executors with {@code SPARK_HOME/jars/*} on their class path, so {@code DIR/spark-home/jars}
 * holds links to exactly the jars of a Spark distribution ({@code assembly/target/spark-classpath.txt}, written by
 * {@code mvn package}): the project's code and its other libraries reach executors only as an application ships them
 * ({@code --master} sets {@code spark.jars}; spark-submit sends the assembly jar), as on a real cluster. The daemons
 * run in a session of their own ({@code setsid}), so closing the terminal or Ctrl-C does not stop them.</p>
 */
public final class LocalCluster {
    static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
    static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
    private static final String HOST = "127.0.0.1";
    /**
     * A daemon's heap (Spark's scripts give 1g, SPARK_DAEMON_MEMORY), the client compiler only (master and worker only
     * route messages: the optimizing compiler would cost CPU seconds the executors need on a small machine), and the
     * JVM flags Spark's launcher adds for Java 17+.
     */
    private static final List<String> JVM_FLAGS = Stream.concat(Stream.of("-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-Djdk.reflect.useDirectMethodHandle=false"),
            Arrays.stream(JavaModuleOptions.defaultModuleOptionArray())).toList();
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalCluster() {
    }

    /**
     * Starts the cluster and returns once every worker has registered with the master (or throws, after stopping what
     * it started). Refused while a cluster started in the same directory still runs.
     */
    public static ClusterState start(ClusterOptions options, Path home, Duration timeout) {
        Path dir = options.dir().toAbsolutePath();
        Optional<ClusterState> previous = ClusterState.read(dir);
        if (previous.isPresent() && previous.get().daemons().stream().anyMatch(LocalCluster::isAlive)) {
            throw new ConfigException("--dir: a cluster started in " + dir + " still runs (" + previous.get().masterUrl()
                    + "); run 'cluster stop' first");
        }
        previous.ifPresent(p -> ClusterState.delete(dir));
        Path sparkHome = sparkHome(home, dir);
        List<ClusterState.Daemon> started = new ArrayList<>();
        try {
            int port = freePort();
            int uiPort = freePort();
            String masterUrl = "spark://" + HOST + ":" + port;
            String ui = "http://" + HOST + ":" + uiPort;
            started.add(launch(dir, sparkHome, "master", MASTER_CLASS,
                    List.of("--host", HOST, "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort))));
            for (int i = 1; i <= options.workers(); i++) {
                Path work = Files.createDirectories(dir.resolve("work/worker-" + i));
                started.add(launch(dir, sparkHome, "worker-" + i, WORKER_CLASS, List.of("--host", HOST,
                        "--port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()),
                        "--cores", String.valueOf(options.cores()), "--memory", options.memoryMb() + "m",
                        "--work-dir", work.toString(), masterUrl)));
            }
            ClusterState state = new ClusterState(masterUrl, ui, started.get(0), started.subList(1, started.size()),
                    options.cores(), options.memoryMb());
            state.write(dir);
            awaitWorkers(state, options.workers(), timeout);
            return state;
        } catch (IOException e) {
            stopAll(started);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stopAll(started);
            ClusterState.delete(dir);
            throw e;
        }
    }

    /** The state of the cluster started in {@code dir}, if any. */
    public static Optional<ClusterState> state(Path dir) {
        return ClusterState.read(dir.toAbsolutePath());
    }

    /** What the master reports now (throws when it does not answer). */
    public static MasterStatus status(ClusterState state) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(state.webUiUrl() + "/json/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the master's web UI answered HTTP " + r.statusCode());
            }
            return MasterStatus.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the master does not answer at " + state.webUiUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the daemon still runs (the same process: its pid and the Spark class on its command line). */
    public static boolean isAlive(ClusterState.Daemon d) {
        return process(d).isPresent();
    }

    /** Stops the workers (which stop their executors), then the master; forgets the state. False if none was started. */
    public static boolean stop(Path dir) {
        Optional<ClusterState> state = ClusterState.read(dir.toAbsolutePath());
        state.ifPresent(s -> stopAll(s.daemons()));
        ClusterState.delete(dir.toAbsolutePath());
        return state.isPresent();
    }

    private static void stopAll(List<ClusterState.Daemon> daemons) {
        List<ProcessHandle> running = daemons.stream().map(LocalCluster::process).flatMap(Optional::stream).toList();
        running.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : running) {
            try {
                p.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception notStopped) {
                p.destroyForcibly();
            }
        }
    }

    private static Optional<ProcessHandle> process(ClusterState.Daemon d) {
        return ProcessHandle.of(d.pid()).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(d.mainClass())).orElse(false));
    }

    private static ClusterState.Daemon launch(Path dir, Path sparkHome, String name, String mainClass, List<String> args)
            throws IOException {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");   // execs in place (a child is no group leader): the pid stays the JVM's
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        return new ClusterState.Daemon(pb.start().pid(), mainClass, log.toString());
    }

    /** {@code DIR/spark-home/jars}: a link to each jar of Spark's own class path, as a distribution's {@code jars/}. */
    static Path sparkHome(Path home, Path dir) {
        Path list = home.resolve("assembly/target/spark-classpath.txt");
        ConfigException.check(Files.exists(list), "cluster start: " + list + " is missing: build the project first "
                + "(mvn package; bin/streampatterns does it)");
        try {
            Path jars = dir.resolve("spark-home/jars");
            if (Files.isDirectory(jars)) {
                try (Stream<Path> old = Files.list(jars)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(jars);
            Path lib = home.resolve("cli/target/lib");
            for (String entry : Files.readString(list).strip().split(java.io.File.pathSeparator)) {
                Path jar = Path.of(entry);
                Path local = lib.resolve(jar.getFileName());
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), Files.exists(local) ? local : jar);
            }
            return jars.getParent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir.resolve("spark-home"), e);
        }
    }

    private static void awaitWorkers(ClusterState state, int workers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (ClusterState.Daemon d : state.daemons()) {
                if (!isAlive(d)) {
                    throw new IllegalStateException(d.mainClass().substring(d.mainClass().lastIndexOf('.') + 1)
                            + " exited at start; its log: " + d.log() + tail(Path.of(d.log())));
                }
            }
            try {
                MasterStatus s = status(state);
                if (s.aliveWorkers().size() >= workers) {
                    return;
                }
                last = s.summary();
            } catch (RuntimeException notYet) {
                last = notYet.getMessage();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        throw new IllegalStateException("the cluster did not start within " + timeout + " (" + last + "); logs in "
                + Path.of(state.master().log()).getParent());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : " (last line: " + lines.get(lines.size() - 1) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
