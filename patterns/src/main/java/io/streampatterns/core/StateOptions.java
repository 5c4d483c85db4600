package io.streampatterns.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The options that shape a stateful query's state (window geometry, session rules, keys, watermark delays, schema),
 * recorded in its checkpoint directory on the first run and checked on every restart. Spark keeps state by key and
 * does not know what the key or the value meant: pane indexes read with another slide, sessions cut by another gap,
 * ids remembered for another delay silently give wrong results. A changed option is refused with one line that names
 * it, the recorded and the new value, and the way out; options that do not shape state (trigger, sinks, thresholds)
 * are not recorded and stay free to change. An option this build records but the checkpoint does not (written by an
 * earlier build) is added without a check. The checkpoint's own files are checked first ({@link CheckpointFiles}).
 *
 * <pre>{@code
 * StateOptions.of("aggregate").with("--window", Duration.ofHours(1)).with("--slide", Duration.ofMinutes(1))
 *         .check(hadoopConf, "file:/out_checkpoint/windows");
 * }</pre>
 */
public final class StateOptions {
    static final String FILE = "streampatterns-state-options.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String pipeline;
    private final Map<String, String> values;

    private StateOptions(String pipeline, Map<String, String> values) {
        this.pipeline = pipeline;
        this.values = values;
    }

    /** No options yet, for the pipeline named {@code pipeline} (as its command is named). */
    public static StateOptions of(String pipeline) {
        return new StateOptions(Objects.requireNonNull(pipeline, "pipeline"), Map.of());
    }

    /** These options and {@code option} (its command-line name) with {@code value} (durations written as on the command line). */
    public StateOptions with(String option, Object value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(option, value instanceof Duration d ? Durations.format(d) : String.valueOf(value));
        return new StateOptions(pipeline, v);
    }

    /**
     * Records these options in the checkpoint directory {@code checkpoint} (a Hadoop file-system URI or local path) when
     * it holds none, else checks them against the recorded ones; {@link ConfigException} for the first changed option.
     */
    public void check(Configuration conf, String checkpoint) {
        Path file = new Path(new Path(Storage.location(checkpoint)), FILE);
        try {
            FileSystem fs = file.getFileSystem(conf);
            CheckpointFiles.verify(fs, file.getParent());
            Map<String, String> recorded = fs.exists(file) ? read(fs, file) : Map.of();
            for (Map.Entry<String, String> e : values.entrySet()) {
                String was = recorded.get(e.getKey());
                ConfigException.check(was == null || was.equals(e.getValue()), e.getKey() + " changed from " + was + " to "
                        + e.getValue() + " since the checkpoint " + checkpoint + " was written (its " + pipeline
                        + " state was built with " + was + "): run with " + e.getKey() + " " + was
                        + ", or start over with a new checkpoint directory");
            }
            if (!recorded.keySet().containsAll(values.keySet())) {
                Map<String, String> all = new LinkedHashMap<>(recorded);
                all.putAll(values);
                write(fs, file, all);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The options, by command-line name. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    private static Map<String, String> read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            Map<String, String> m = JSON.readValue(in, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return m == null ? Map.of() : m;
        }
    }

    /** Written to a temporary file first, then renamed: a crash never leaves half a file. */
    private static void write(FileSystem fs, Path file, Map<String, String> values) throws IOException {
        fs.mkdirs(file.getParent());
        Path tmp = new Path(file.getParent(), "." + FILE + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(values));
        }
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot rename " + tmp + " to " + file);
        }
    }
}
