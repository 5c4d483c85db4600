package io.streampatterns.apps.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Sink} keeping the lines in memory, for generator tests. */
final class MemorySink implements Sink {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> lines = new ArrayList<>();
    private final Map<String, MemorySink> sides = new LinkedHashMap<>();

    /** Runs {@code dataset} with {@code options} for {@code n} events into a new sink. */
    static MemorySink generate(Dataset dataset, GeneratorOptions options, long n) {
        MemorySink sink = new MemorySink();
        dataset.generator(options).write(sink, n);
        return sink;
    }

    @Override
    public void write(String line) {
        lines.add(line);
    }

    @Override
    public Sink side(String name) {
        return sides.computeIfAbsent(name, n -> new MemorySink());
    }

    MemorySink sideLines(String name) {
        return sides.getOrDefault(name, new MemorySink());
    }

    List<JsonNode> json() {
        List<JsonNode> nodes = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                nodes.add(JSON.readTree(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return nodes;
    }
}
