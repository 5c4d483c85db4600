package io.streampatterns.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Protocol;
import io.streampatterns.bench.Side;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code json-parse-ceiling}: the rate at which ONE core merely tokenizes the generated JSON lines with Jackson's
 * streaming parser (no Spark, no rows built): the practical upper limit every pipeline's rate is compared with. One
 * side, no baseline; {@code ceiling_x_cores} is the ideal for all cores. A run that parses another number of
 * records than was generated fails.
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
    public Plan plan(BenchContext ctx) throws Exception {
        long events = ctx.events(1_000_000, 200_000);
        Path dir = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
        }
        JsonFactory factory = new JsonFactory();
        Side jackson = Side.of("jackson", rep -> {
            long[] records = new long[1];
            Measured m = Measured.of(events, () -> records[0] = parse(files, factory));
            if (records[0] != events) {
                throw new IllegalStateException("parsed " + records[0] + " records in " + dir + ", " + events + " generated");
            }
            return m.digest(records[0] + " records");
        });
        int cores = Runtime.getRuntime().availableProcessors();
        return Plan.single(jackson).warmUp(() -> parse(files, factory)).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("events", events);
            f.put("cores", 1);
            f.put("note_ceiling_x_cores", Math.round(Protocol.medianEps(runs.get("jackson")) * cores));
            return f;
        });
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
