package io.streampatterns.assembly;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.cli.Main;
import io.streampatterns.cli.SparkMaster;
import io.streampatterns.cli.cluster.ClusterOptions;
import io.streampatterns.cli.cluster.ClusterState;
import io.streampatterns.cli.cluster.LocalCluster;
import io.streampatterns.cli.cluster.MasterStatus;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.InputFiles;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipelines on a real Spark standalone cluster: a master and two workers (1 core, 1 GiB each) started as
 * {@code cluster start} starts them; {@code ingest}, {@code sessions} and {@code aggregate} run with {@code --master}
 * on it (the project's code reaches the executors as the assembly jar, {@code spark.jars}), and {@code aggregate}
 * once more through spark-submit ({@code org.apache.spark.deploy.SparkSubmit}, class path = Spark's jars only) of
 * the assembly jar (long mode). Every output equals the same command's on {@code local[2]}, row for row. Lean on
 * purpose (one cluster, small inputs, two sessions in this JVM: local first, then the cluster's): it runs in
 * {@code mvn verify}.
 */
class ClusterIT {
    @TempDir
    static Path tmp;
    private static ClusterState cluster;
    private static Path clusterDir;
    /** Per output table: its rows on local[2], as sorted text. */
    private static final Map<String, List<String>> LOCAL = new LinkedHashMap<>();

    @BeforeAll
    static void runLocallyWhileTheClusterStarts() throws IOException {
        writeInput(tmp.resolve("in"));
        clusterDir = tmp.resolve("cluster");
        Path home = SparkMaster.home().orElseThrow();
        CompletableFuture<ClusterState> starting = CompletableFuture.supplyAsync(() ->
                LocalCluster.start(ClusterOptions.of(2, 1, "1g", clusterDir), home, Duration.ofMinutes(3)));
        try {
            for (String table : TABLES) {
                run("local[2]", table, tmp.resolve("local"));
                LOCAL.put(table, read(SparkSession.active(), tmp.resolve("local").resolve(table)));
            }
            stopSession();
        } finally {
            cluster = starting.join();
        }
    }

    @AfterAll
    static void stopCluster() {
        stopSession();
        if (clusterDir != null) {
            LocalCluster.stop(clusterDir);
        }
    }

    @Test
    void pipelinesRunOnTheWorkersAndWriteWhatTheyWriteLocally() {
        assertFalse(LOCAL.get("clicks").isEmpty());
        assertFalse(LOCAL.get("sessions").isEmpty());
        assertFalse(LOCAL.get("windows").isEmpty());
        Path out = tmp.resolve("on-cluster");
        try {
            for (String table : TABLES) {
                run(cluster.masterUrl(), table, out);
            }
            SparkSession spark = SparkSession.active();
            assertEquals(cluster.masterUrl(), spark.sparkContext().master());
            assertTrue(spark.conf().get("spark.jars").contains("streampatterns-assembly-"), spark.conf().get("spark.jars"));
            // the application holds an executor on each worker: the work ran there, not in this JVM
            MasterStatus status = LocalCluster.status(cluster);
            assertEquals(List.of(1, 1), status.aliveWorkers().stream().map(MasterStatus.Worker::coresUsed).toList(), status.summary());
            assertEquals(List.of(spark.sparkContext().applicationId()), status.activeApps().stream().map(MasterStatus.App::id).toList());
            assertEquals(2, spark.sparkContext().statusTracker().getExecutorInfos().length - 1);
            for (String table : TABLES) {
                assertEquals(LOCAL.get(table), read(spark, out.resolve(table)), table);
            }
        } finally {
            stopSession();   // frees the workers' cores for the other test's application
        }
    }

    /**
     * Long mode only ({@code STREAMPATTERNS_LONG=1}, {@link TestDepth}): a driver JVM and two executors more cost minutes on a loaded
     * 2-core machine; the test above already runs the assembly jar on the executors, this one adds the driver side.
     */
    @Test
    void theAssemblyJarRunsThroughSparkSubmit() {
        Assumptions.assumeTrue(TestDepth.isLong(), "long mode only");
        stopSession();
        Path out = tmp.resolve("submitted");
        Path jar = SparkMaster.assemblyJar(SparkMaster.home().orElseThrow()).orElseThrow();
        List<String> args = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--class", Main.class.getName(), jar.toString()));
        args.addAll(commandArgs("windows", out));
        // spark-submit's own class path: a Spark distribution's jars/ (what cluster start linked), nothing of ours
        String sparkJars = clusterDir.resolve("spark-home/jars").toAbsolutePath() + "/*";
        try (ChildJvm submit = ChildJvm.startWithClassPath(tmp.resolve("submit.log"), sparkJars,
                List.of("-Xmx1g", "-Dspark.sql.shuffle.partitions=2"), "org.apache.spark.deploy.SparkSubmit",
                args.toArray(String[]::new))) {
            assertEquals(0, submit.awaitExit(Duration.ofMinutes(4)), submit.tail());
            assertTrue(submit.tail().contains("windows"), submit.tail());
        }
        System.clearProperty("spark.jars");
        SparkMaster.use("local[2]", Optional.empty());
        try {
            assertEquals(LOCAL.get("windows"), read(SparkSessions.getOrCreate("cluster-it-read"), out.resolve("windows")));
        } finally {
            stopSession();
        }
    }

    private static void stopSession() {
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
    }

    private static final List<String> TABLES = List.of("clicks", "sessions", "windows");

    private static void run(String master, String table, Path out) {
        // small inputs: the client compiler alone saves the executors most of their CPU on a loaded 2-core machine
        System.setProperty("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1");
        List<String> args = new ArrayList<>(List.of("--master", master));
        args.addAll(commandArgs(table, out));
        assertEquals(0, Cli.execute(new Main(), args.toArray(String[]::new)), master + " " + args);
    }

    private static List<String> commandArgs(String table, Path out) {
        String in = tmp.resolve("in").toString();
        return switch (table) {
            case "clicks" -> List.of("ingest", "--input", in, "--format", "jsonl", "--schema", "clickstream",
                    "--lake", out.toString(), "--table", "clicks", "--once");
            case "sessions" -> List.of("sessions", "--input", in, "--format", "jsonl", "--key", "user_id", "--time", "ts",
                    "--gap", "5m", "--watermark", "1m", "--mode", "update", "--output", out.resolve("sessions").toString(), "--once");
            case "windows" -> List.of("aggregate", "--input", in, "--format", "jsonl", "--key", "user_id", "--time", "ts",
                    "--value", "amount", "--window", "10m", "--slide", "5m", "--watermark", "1m", "--mode", "append",
                    "--output", out.resolve("windows").toString(), "--once");
            default -> throw new IllegalArgumentException(table);
        };
    }

    /** Every row but the columns that say when it was written, sorted. */
    private static List<String> read(SparkSession spark, Path table) {
        var df = spark.read().format("delta").load(table.toString());
        String[] kept = Arrays.stream(df.columns()).filter(c -> !c.equals("ingested_at")).toArray(String[]::new);
        List<String> rows = new ArrayList<>(df.selectExpr(kept).collectAsList().stream().map(ClusterIT::text).toList());
        rows.sort(null);
        return rows;
    }

    /**
     * A row as text, doubles to 12 significant digits: a sum of doubles depends on the order partial aggregates are
     * merged (two executors vs two local threads), which changes the last bits of a variance; decimals stay exact.
     */
    private static String text(Row row) {
        StringJoiner fields = new StringJoiner(",", "[", "]");
        for (int i = 0; i < row.length(); i++) {
            Object v = row.get(i);
            fields.add(v instanceof Double d && Double.isFinite(d)
                    ? new BigDecimal(d).round(new MathContext(12)).toString() : String.valueOf(v));
        }
        return fields.toString();
    }

    /**
     * Two files of clickstream events of 12 users, out of order within a minute, each with a duplicate and a bad line;
     * the second starts 30 minutes after the first ends, so the first file's sessions and windows close.
     */
    private static void writeInput(Path dir) throws IOException {
        Files.createDirectories(dir);
        Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
        for (int file = 0; file < 2; file++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                int n = file * 150 + i;
                long seconds = n * 7L - (n % 5) * 11L + file * 1800L;
                lines.add(String.format(Locale.ROOT, "{\"event_id\":\"e%04d\",\"user_id\":\"u%d\",\"ts\":\"%s\",\"type\":\"page_view\","
                                + "\"page\":\"/p/%d\",\"campaign\":\"c%d\",\"amount\":%d.%02d,\"device\":\"mobile\"}",
                        n, n % 12, t0.plusSeconds(seconds), n % 7, n % 3, n % 40, n % 100));
            }
            lines.add(lines.get(3));
            lines.add("{\"event_id\":\"bad\",\"user_id\":");
            InputFiles.write(dir.resolve("part-" + file + ".jsonl"), lines);
        }
    }
}
