package io.streampatterns.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code streampatterns bench [NAME...] [--quick] [--json FILE]}: our pipelines vs plain Spark, same data, same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark our pipelines against plain Spark on the same data.",
                "Each benchmark measures our pipeline and its plain-Spark (or naive) counterpart on the same generated data in"
                        + " this JVM, checks that their results agree, and prints events/s and the ratio."})
public final class BenchCommand implements Runnable {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Benchmarks to run (default: all). Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = Benchmarks.Names.class)
    List<String> names = new ArrayList<>();

    @Option(names = "--quick", description = "Small inputs: the whole suite in a few minutes on 2 cores.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON array to FILE.")
    Path json;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Scratch directory (default: a temporary directory, deleted after).")
    Path workDir;

    @Override
    public void run() {
        Map<String, Benchmark> all = Benchmarks.all();
        List<Benchmark> selected = new ArrayList<>();
        for (String n : names.isEmpty() ? new ArrayList<>(all.keySet()) : names) {
            Benchmark b = all.get(n);
            ConfigException.check(b != null, "unknown benchmark '" + n + "' (known: " + String.join(", ", all.keySet()) + ")");
            selected.add(b);
        }
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-bench");
        Path dir = scratch();
        PrintStream out = System.out;
        List<BenchResult> results = new ArrayList<>();
        for (Benchmark b : selected) {
            System.err.println("bench: running " + b.name() + " - " + b.description());
            try {
                BenchResult r = b.run(new BenchContext(spark, Files.createDirectories(dir.resolve(b.name())), quick));
                results.add(r);
                System.err.println("bench: " + b.name() + " done: " + r.toJson());
            } catch (Exception e) {
                throw new IllegalStateException("benchmark " + b.name() + " failed: " + e.getMessage(), e);
            }
        }
        out.print(table(results));
        if (json != null) {
            writeJson(results);
        }
        if (workDir == null) {
            deleteQuietly(dir);
        }
    }

    static String table(List<BenchResult> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-24s %14s %14s %8s %6s  %s%n", "benchmark", "ours ev/s", "baseline ev/s", "ratio", "agree", "figures"));
        for (BenchResult r : results) {
            Map<String, Object> extra = new LinkedHashMap<>(r.extra());
            b.append(String.format(Locale.ROOT, "%-24s %14.0f %14.0f %8.2f %6s  %s%n", r.name(), r.oursEps(), r.baselineEps(),
                    r.ratio(), r.agree() == null ? "n/a" : r.agree() ? "yes" : "NO", extra));
        }
        return b.toString();
    }

    private void writeJson(List<BenchResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        results.forEach(r -> rows.add(r.toJson()));
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), rows);
        } catch (IOException e) {
            throw new ConfigException("--json: cannot write " + json + ": " + e.getMessage());
        }
    }

    private Path scratch() {
        try {
            return workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("streampatterns-bench");
        } catch (IOException e) {
            throw new ConfigException("cannot create the scratch directory: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space in the temp directory: leftovers are harmless
        }
    }

    public static void main(String[] args) {
        Cli.main(new BenchCommand(), args);
    }
}
