package io.streampatterns.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Timing;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code json-parse-ceiling}: the rate at which ONE core merely tokenizes the generated JSON lines with Jackson's
 * streaming parser (no Spark, no rows built): the practical upper limit every pipeline's rate is compared with.
 * {@code ours_eps} is that rate; {@code baseline_eps} is the same figure (ratio 1 by definition), {@code ceiling_x_cores}
 * the ideal for all cores.
 */
public final class JsonParseCeiling implements Benchmark {
    @Override
    public String name() {
        return "json-parse-ceiling";
    }

    @Override
    public String description() {
        return "Jackson streaming parse of the ingest input on one core (upper bound)";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        long events = ctx.events(1_000_000, 200_000);
        Path dir = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
        }
        JsonFactory factory = new JsonFactory();
        parse(files, factory); // warm-up
        long[] counted = new long[1];
        double seconds = Timing.seconds(() -> counted[0] = parse(files, factory));
        double eps = Timing.eps(counted[0], seconds);
        return BenchResult.of(name(), eps, eps, counted[0] == events)
                .with("events", counted[0])
                .with("cores", 1)
                .with("ceiling_x_cores", Math.round(eps * Runtime.getRuntime().availableProcessors()));
    }

    private static long parse(List<Path> files, JsonFactory factory) throws Exception {
        long records = 0;
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try (JsonParser p = factory.createParser(line)) {
                        while (p.nextToken() != null) {
                            if (p.currentToken() == JsonToken.VALUE_STRING) {
                                p.getText();
                            }
                        }
                    }
                    records++;
                }
            }
        }
        return records;
    }
}
