package io.streampatterns.apps.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A pipeline spec, the {@code spark-pipeline.yml} of Spark Declarative Pipelines: {@code name}, {@code storage} (root
 * of the tables and checkpoints), {@code configuration} (string entries; {@code ${key}} in the SQL files), and
 * {@code libraries} ({@code - glob: {include: PATTERN}}, relative to the spec's directory), plus SDP's {@code catalog}
 * and {@code database}, accepted and unused. Next to it, our optional overlay {@code streampatterns.yml}
 * ({@link Overlay}) that SDP does not read. {@code --conf} entries override the configuration, {@code --storage} the
 * storage.
 */
public final class PipelineSpec {
    /** A location with a scheme ({@code hdfs://nn/x}, {@code file:/x}); else a path. */
    private static final String SCHEME = "^[A-Za-z][A-Za-z0-9+.-]+:.*";
    public static final String OVERLAY = "streampatterns.yml";
    private static final Set<String> KEYS = Set.of("name", "storage", "configuration", "libraries", "catalog", "database");

    private final Path file;
    private final String name;
    private final String storage;
    private final Map<String, String> configuration;
    private final List<Path> sqlFiles;
    private final Overlay overlay;
    private final List<Problem> problems;

    private PipelineSpec(Path file, String name, String storage, Map<String, String> configuration, List<Path> sqlFiles,
                         Overlay overlay, List<Problem> problems) {
        this.file = file;
        this.name = name;
        this.storage = storage;
        this.configuration = Map.copyOf(configuration);
        this.sqlFiles = List.copyOf(sqlFiles);
        this.overlay = overlay;
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads the spec at {@code file} (or {@code file/spark-pipeline.yml} for a directory) and its overlay; the problems
     * found are in {@link #problems()}, but a file that cannot be read as YAML throws a {@link PipelineException}.
     */
    public static PipelineSpec load(Path file, Map<String, String> confOverrides, String storageOverride) {
        Path spec = Files.isDirectory(file) ? file.resolve("spark-pipeline.yml") : file;
        String where = spec.getFileName().toString();
        List<Problem> problems = new ArrayList<>();
        String text = read(spec, problems);
        JsonNode root = text == null ? null : yaml(where, text, problems);
        if (root == null) {
            throw new PipelineException(problems);
        }
        if (!root.isObject()) {
            throw new PipelineException(List.of(new Problem(where, 1, "the spec is not a YAML mapping",
                    "write name:, storage:, libraries: at the top level")));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(new Problem(where, lineOf(text, key), "unknown key '" + key + "'", "use one of " + new TreeSet<>(KEYS)));
            }
        }
        String name = root.path("name").asText(null);
        if (name == null || name.isBlank()) {
            problems.add(new Problem(where, 1, "no pipeline name", "add name: my_pipeline"));
        }
        Path dir = spec.toAbsolutePath().getParent();
        Map<String, String> configuration = configuration(where, text, root.path("configuration"), problems);
        configuration.putAll(confOverrides);
        String storage = storageOverride != null ? storageOverride : root.path("storage").asText(null);
        if (storage == null || storage.isBlank()) {
            problems.add(new Problem(where, 1, "no storage", "add storage: DIR (tables and checkpoints go there) or pass --storage DIR"));
        } else if (!storage.matches(SCHEME)) {
            storage = dir.resolve(storage).normalize().toString(); // relative to the spec's directory
        }
        List<Path> sql = libraries(where, text, dir, root.path("libraries"), problems);
        Overlay overlay = Overlay.load(dir.resolve(OVERLAY), configuration, problems);
        return new PipelineSpec(spec, name, storage, configuration, sql, overlay, problems);
    }

    public Path file() {
        return file;
    }

    public String name() {
        return name;
    }

    /** Root directory (or URI) of the pipeline's tables ({@code <storage>/<table>}) and checkpoints. */
    public String storage() {
        return storage;
    }

    public Map<String, String> configuration() {
        return configuration;
    }

    /** The SQL files of the libraries, in path order. */
    public List<Path> sqlFiles() {
        return sqlFiles;
    }

    /** Problems of the spec and the overlay (the SQL files may still be checked). */
    public List<Problem> problems() {
        return problems;
    }

    public Overlay overlay() {
        return overlay;
    }

    /** Where the table {@code table} lives. */
    public String tablePath(String table) {
        return storage + "/" + table;
    }

    /** The checkpoint of the flow writing {@code table}. */
    public String checkpoint(String table) {
        return storage + "/_checkpoints/" + table;
    }

    static String read(Path file, List<Problem> problems) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(file.toString(), 0, "cannot read the file (" + e.getClass().getSimpleName() + ")",
                    "check the path"));
            return null;
        }
    }

    /** The YAML tree, or null with the problem at the line the parser stopped. */
    static JsonNode yaml(String where, String text, List<Problem> problems) {
        try {
            JsonNode node = new YAMLMapper().readTree(text);
            return node == null ? new YAMLMapper().createObjectNode() : node;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            problems.add(new Problem(where, line, "bad YAML: " + e.getOriginalMessage(), "fix the YAML syntax at this line"));
            return null;
        }
    }

    /** The first line that defines {@code key} (1 when none does): where to point at a problem with its value. */
    static int lineOf(String text, String key) {
        return lineOf(text, key, 1);
    }

    /** The first line from line {@code from} on that defines {@code key} (1 when none does). */
    static int lineOf(String text, String key, int from) {
        String[] lines = text.split("\n", -1);
        String quoted = java.util.regex.Pattern.quote(key);
        for (int i = Math.max(0, from - 1); i < lines.length; i++) {
            if (lines[i].matches("\\s*(-\\s+)?['\"]?" + quoted + "['\"]?\\s*:.*")) {
                return i + 1;
            }
        }
        return 1;
    }

    private static Map<String, String> configuration(String where, String text, JsonNode node, List<Problem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(new Problem(where, lineOf(text, "configuration"), "configuration is not a mapping", "write key: value entries"));
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                problems.add(new Problem(where, lineOf(text, e.getKey()), "configuration '" + e.getKey() + "' is not a string",
                        "give it a plain value"));
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private static List<Path> libraries(String where, String text, Path dir, JsonNode node, List<Problem> problems) {
        List<Path> out = new ArrayList<>();
        if (!node.isArray() || node.isEmpty()) {
            problems.add(new Problem(where, lineOf(text, "libraries"), "no libraries", "add libraries: [{glob: {include: transformations/**}}]"));
            return out;
        }
        for (JsonNode lib : node) {
            String include = lib.path("glob").path("include").asText(null);
            if (include == null) {
                problems.add(new Problem(where, lineOf(text, "libraries"), "a library without glob.include",
                        "write - glob: {include: PATTERN}"));
                continue;
            }
            List<Path> matched = glob(dir, include);
            if (matched.isEmpty()) {
                problems.add(new Problem(where, lineOf(text, "include"), "no file matches '" + include + "'", "check the pattern"));
            }
            for (Path p : matched) {
                if (p.toString().endsWith(".py")) {
                    problems.add(new Problem(dir.relativize(p).toString(), 0, "Python definitions are not run by this runner",
                            "write the flow in SQL (SDP's Python API needs Spark Connect)"));
                } else if (p.toString().endsWith(".sql") && !out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<Path> glob(Path dir, String include) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + include);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> m.matches(dir.relativize(p))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
