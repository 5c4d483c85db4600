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
                        + " this JVM, the same way: a warm-up, then --repeat repetitions of every side in rotating order. It prints"
                        + " the medians (min-max), the ratio, CPU seconds, and whether the results agree by content. An entry that"
                        + " fails is reported as failed and the others still run."})
public final class BenchCommand implements Runnable {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Benchmarks to run (default: all). Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = Benchmarks.Names.class)
    List<String> names = new ArrayList<>();

    @Option(names = "--quick", description = "Small inputs: the whole suite in a few minutes on 2 cores.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON array to FILE.")
    Path json;

    @Option(names = "--repeat", paramLabel = "N", description = "Measured repetitions of each side (default: 3, or 2 with --quick).")
    Integer repeat;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the results as the Markdown table the README includes.")
    Path markdown;

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
        int reps = repeat != null ? repeat : quick ? 2 : 3;
        ConfigException.check(reps >= 1, "--repeat must be >= 1, got " + reps);
        double load = Markdown.loadAverage();
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-bench");
        Path dir = scratch();
        List<BenchResult> results = new ArrayList<>();
        for (Benchmark b : selected) {
            System.err.println("bench: running " + b.name() + " - " + b.description());
            BenchResult r = runOne(spark, b, dir, reps);
            results.add(r);
            System.err.println("bench: " + b.name() + (r.failed() ? " FAILED: " : " done: ") + r.toJson());
            if (json != null) {
                writeJson(results); // after every entry: a later failure or kill keeps what was measured
            }
        }
        System.out.print(table(results));
        if (markdown != null) {
            write(markdown, Markdown.of(results, quick, reps, load));
        }
        if (workDir == null) {
            deleteQuietly(dir);
        }
    }

    BenchResult runOne(SparkSession spark, Benchmark b, Path dir, int reps) {
        try {
            BenchContext ctx = new BenchContext(spark, Files.createDirectories(dir.resolve(b.name())), quick, reps);
            return Protocol.run(b.name(), b.plan(ctx), reps);
        } catch (Exception | LinkageError e) {
            e.printStackTrace();
            return BenchResult.failed(b.name(), e);
        }
    }

    static String table(List<BenchResult> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-24s %14s %14s %8s %6s  %s%n", "benchmark", "ours ev/s", "baseline ev/s", "ratio", "agree", "figures"));
        for (BenchResult r : results) {
            if (r.failed()) {
                b.append(String.format(Locale.ROOT, "%-24s FAILED: %s%n", r.name(), r.error()));
                continue;
            }
            Map<String, Object> extra = new LinkedHashMap<>(r.extra());
            b.append(String.format(Locale.ROOT, "%-24s %14s %14s %8s %6s  %s%n", r.name(), figure(r.oursEps(), "%.0f"),
                    figure(r.baselineEps(), "%.0f"), figure(r.ratio(), "%.2f"), r.agree() == null ? "n/a" : r.agree() ? "yes" : "NO",
                    extra));
        }
        return b.toString();
    }

    /** {@code d} in {@code format}, or "-" when there is none (a single-side entry has no baseline and no ratio). */
    private static String figure(double d, String format) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, format, d);
    }

    private void writeJson(List<BenchResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        results.forEach(r -> rows.add(r.toJson()));
        try {
            write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } catch (IOException e) {
            throw new ConfigException("--json: cannot write " + json + ": " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage());
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
