package io.streampatterns.apps.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our extensions of a pipeline, in {@code streampatterns.yml} next to the spec (SDP does not read it, so the SQL files
 * stay SDP's): {@code sources} (streams of this project's file inputs, read in SQL as {@code STREAM(name)}) and
 * {@code steps} (a pattern of this library applied to a streaming table's rows before they are written).
 *
 * <pre>
 * sources:
 *   clicks_raw: {path: "${input}", format: jsonl, schema: clickstream}   # formats: jsonl, csv, apache-log
 *   orders: {kafka: "${bootstrap}", topic: orders, format: jsonl, schema: transactions, on-data-loss: fail}
 * steps:
 *   sessions: {pattern: sessions, key: user_id, time: ts, watermark: 10m, gap: 30m, mode: append}
 * sinks:
 *   sessions: {warehouse: "${jdbc}", warehouse-keys: "user_id, session_start", kafka: "${bootstrap}", kafka-topic: visits}
 * </pre>
 *
 * <p>{@code sinks} are extra outputs of a streaming table besides its Delta table ({@link ExtraSinks}).</p>
 */
public final class Overlay {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");
    private static final Set<String> KEYS = Set.of("sources", "steps", "sinks");
    private static final Set<String> SOURCE_KEYS = Set.of("path", "kafka", "topic", "format", "schema",
            "max-files-per-batch", "max-records-per-batch", "on-data-loss");

    private final String file;
    private final Map<String, Source> sources;
    private final Map<String, StepSpec> steps;

    /**
     * A source: records of {@code format} with {@code schema} (a built-in name or a DDL file) from the files at
     * {@code path}, or (when {@code kafka} is set) from the values of {@code topic} at the brokers {@code kafka}.
     */
    public record Source(String name, String path, String kafka, String topic, String format, String schema,
                         int maxFilesPerBatch, long maxRecordsPerBatch, String onDataLoss, int line) {
        boolean isKafka() {
            return kafka != null;
        }
    }

    /** The step applied to the rows of {@code table}: the pattern's name and its options as written. */
    public record StepSpec(String table, String pattern, Map<String, String> options, int line) {
    }

    /** The extra sinks of {@code table}, their options as written. */
    public record SinkSpec(String table, Map<String, String> options, int line) {
    }

    private final Map<String, SinkSpec> sinks;

    private Overlay(String file, Map<String, Source> sources, Map<String, StepSpec> steps, Map<String, SinkSpec> sinks) {
        this.file = file;
        this.sources = sources;
        this.steps = steps;
        this.sinks = sinks;
    }

    static Overlay load(Path path, Map<String, String> configuration, List<Problem> problems) {
        String where = path.getFileName().toString();
        if (!Files.exists(path)) {
            return new Overlay(where, Map.of(), Map.of(), Map.of());
        }
        String text = PipelineSpec.read(path, problems);
        JsonNode root = text == null ? null : PipelineSpec.yaml(where, text, problems);
        Map<String, Source> sources = new LinkedHashMap<>();
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        Map<String, SinkSpec> sinks = new LinkedHashMap<>();
        if (root == null || root.isEmpty()) {
            return new Overlay(where, sources, steps, sinks);
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                problems.add(new Problem(where, PipelineSpec.lineOf(text, k), "unknown key '" + k + "'", "use sources: or steps:"));
            }
        });
        root.path("sources").fields().forEachRemaining(e -> {
            int line = PipelineSpec.lineOf(text, e.getKey());
            Map<String, String> o = strings(where, text, e.getValue(), configuration, problems);
            o.keySet().stream().filter(k -> !SOURCE_KEYS.contains(k)).forEach(k -> problems.add(new Problem(where, line,
                    "source " + e.getKey() + ": unknown option '" + k + "'", "use " + SOURCE_KEYS)));
            String p = o.get("path");
            String kafka = o.get("kafka");
            if ((p == null) == (kafka == null)) {
                problems.add(new Problem(where, line, "source " + e.getKey() + " needs exactly one of path and kafka",
                        "add path: DIR, or kafka: HOST:PORT with topic: T"));
                return;
            }
            if (kafka != null && o.get("topic") == null) {
                problems.add(new Problem(where, line, "source " + e.getKey() + " reads Kafka but names no topic", "add topic: T"));
                return;
            }
            Path dir = path.toAbsolutePath().getParent();
            String schema = o.getOrDefault("schema", null);
            if (schema != null && Files.exists(dir.resolve(schema))) {
                schema = dir.resolve(schema).toString();
            }
            try {
                sources.put(e.getKey(), new Source(e.getKey(), p == null ? null : dir.resolve(p).normalize().toString(),
                        kafka, o.get("topic"), o.getOrDefault("format", "jsonl"), schema,
                        Integer.parseInt(o.getOrDefault("max-files-per-batch", "0")),
                        Long.parseLong(o.getOrDefault("max-records-per-batch", "0")), o.getOrDefault("on-data-loss", "fail"), line));
            } catch (NumberFormatException ex) {
                problems.add(new Problem(where, line, "source " + e.getKey() + ": a batch limit is not a whole number",
                        "write max-files-per-batch / max-records-per-batch as a number"));
            }
        });
        root.path("steps").fields().forEachRemaining(e -> {
            int line = PipelineSpec.lineOf(text, e.getKey());
            Map<String, String> o = strings(where, text, e.getValue(), configuration, problems);
            String pattern = o.remove("pattern");
            if (pattern == null) {
                problems.add(new Problem(where, line, "step of " + e.getKey() + " names no pattern", "add pattern: " + PipelineSteps.NAMES));
                return;
            }
            steps.put(e.getKey(), new StepSpec(e.getKey(), pattern, Map.copyOf(o), line));
        });
        int sinksLine = PipelineSpec.lineOf(text, "sinks");
        root.path("sinks").fields().forEachRemaining(e -> sinks.put(e.getKey(), new SinkSpec(e.getKey(),
                Map.copyOf(strings(where, text, e.getValue(), configuration, problems)), PipelineSpec.lineOf(text, e.getKey(), sinksLine))));
        return new Overlay(where, Map.copyOf(sources), Map.copyOf(steps), Map.copyOf(sinks));
    }

    private static Map<String, String> strings(String where, String text, JsonNode node, Map<String, String> conf, List<Problem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            Matcher m = VARIABLE.matcher(e.getValue().asText());
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = conf.get(m.group(1));
                if (v == null) {
                    problems.add(new Problem(where, PipelineSpec.lineOf(text, e.getKey()), "unknown configuration key '" + m.group(1) + "'",
                            "add it under 'configuration:' in the spec or pass --conf " + m.group(1) + "=VALUE"));
                    v = m.group();
                }
                m.appendReplacement(b, Matcher.quoteReplacement(v));
            }
            m.appendTail(b);
            out.put(e.getKey(), b.toString());
        });
        return out;
    }

    public String file() {
        return file;
    }

    public Map<String, Source> sources() {
        return sources;
    }

    public Map<String, StepSpec> steps() {
        return steps;
    }

    public Map<String, SinkSpec> sinks() {
        return sinks;
    }
}
