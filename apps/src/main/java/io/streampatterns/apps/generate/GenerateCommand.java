package io.streampatterns.apps.generate;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/** {@code streampatterns generate DATASET --out DIR --events N --seed S [--rate R/s]}: deterministic test data. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a deterministic synthetic data set as numbered part files.",
                "JSON lines (apache-logs: log lines); the same seed and options give byte-identical files.",
                "Data sets: clickstream, transactions (with fraud labels in DIR/labels), merchants (CDC), apache-logs."})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "clickstream, transactions, merchants or apache-logs")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (new or empty).")
    Path out;

    @Option(names = "--events", required = true, paramLabel = "N", description = "Number of events to write.")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", paramLabel = "R/s",
            description = "Write live at R events per second (e.g. 500 or 500/s), about one small file per second.")
    String rate;

    @Option(names = "--events-per-file", paramLabel = "E", defaultValue = "100000",
            description = "Maximum events per file (default: ${DEFAULT-VALUE}).")
    int eventsPerFile;

    @Option(names = "--start", paramLabel = "INSTANT", defaultValue = "2024-05-01T00:00:00Z",
            description = "Time of the first event, ISO-8601 (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--users", defaultValue = "5000", description = "clickstream: number of users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--cards", defaultValue = "10000", description = "transactions: number of cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--merchants", defaultValue = "1000",
            description = "transactions, merchants: number of merchants (default: ${DEFAULT-VALUE}).")
    int merchants;

    @Option(names = "--drift-at", paramLabel = "N", defaultValue = "-1",
            description = "transactions: fraud changes pattern from the N-th transaction on (concept drift: domestic card "
                    + "testing instead of high amounts abroad); -1 = never (default).")
    long driftAt;

    @Override
    public Integer call() {
        ConfigException.check(driftAt >= -1, "--drift-at must be >= 0 (or -1 for none), got " + driftAt);
        Dataset d = Dataset.parse(dataset);
        GeneratorOptions options = GeneratorOptions.seed(seed).withStart(parseStart(start))
                .withUsers(users).withCards(cards).withMerchants(merchants).withDriftAt(driftAt);
        OutputOptions output = OutputOptions.of(out, events).withEventsPerFile(eventsPerFile);
        if (rate != null) {
            output = output.withRate(OutputOptions.parseRate(rate));
        }
        long t0 = System.nanoTime();
        Generation.Result r = Generation.run(d, options, output);
        StringBuilder sides = new StringBuilder();
        r.sideLines().forEach((name, lines) -> sides.append(", ").append(lines).append(' ').append(name)
                .append(" in ").append(out.resolve(name)));
        spec.commandLine().getOut().printf("generated %d %s events in %d files in %s%s (%.1f s)%n", r.events(), d.cliName(), r.files(),
                out, sides, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static Instant parseStart(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException("--start: cannot parse instant '" + text + "' (use e.g. 2024-05-01T00:00:00Z)");
        }
    }

    public static void main(String[] args) {
        Cli.main(new GenerateCommand(), args);
    }
}
