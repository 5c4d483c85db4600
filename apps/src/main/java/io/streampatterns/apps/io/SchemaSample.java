package io.streampatterns.apps.io;

import io.streampatterns.core.ConfigException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The schema of JSON-lines input inferred from a sample: the first {@value #SAMPLE_LINES} records of the files that
 * will be read first (oldest modification time first), not every file present (which reads the whole input once
 * more before the stream starts). A field that only appears after the sample is not in the schema (ignored like any
 * unknown key); a value that does not fit the sampled type is quarantined with its reason. Give the schema explicitly
 * when the first records are not representative.
 */
public final class SchemaSample {
    static final int SAMPLE_LINES = 10_000;
    private static final long SAMPLE_BYTES = 64L << 20;

    private SchemaSample() {
    }

    /** The schema of the sample of {@code dir}; a configuration error when it holds no JSON record. */
    public static StructType infer(SparkSession spark, Path dir) {
        List<String> lines = sample(spark, dir);
        StructType st = spark.read().option("mode", "PERMISSIVE").json(spark.createDataset(lines, Encoders.STRING())).schema();
        ConfigException.check(st.fields().length > 0 && !(st.fields().length == 1 && st.fieldNames()[0].equals("_corrupt_record")),
                "no JSON records in " + dir + " to infer the schema from");
        return st;
    }

    static List<String> sample(SparkSession spark, Path dir) {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.toUri());
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            ConfigException.check(fs.isDirectory(root), "input directory does not exist: " + dir);
            FileStatus[] files = fs.listStatus(root, p -> !p.getName().startsWith(".") && !p.getName().startsWith("_"));
            Arrays.sort(files, Comparator.comparingLong(FileStatus::getModificationTime)
                    .thenComparing(f -> f.getPath().getName()));
            List<String> lines = new ArrayList<>();
            long bytes = 0;
            for (FileStatus f : files) {
                if (!f.isFile()) {
                    continue;
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
                    String line;
                    while (lines.size() < SAMPLE_LINES && bytes < SAMPLE_BYTES && (line = r.readLine()) != null) {
                        if (!line.isBlank()) {
                            lines.add(line);
                            bytes += line.length();
                        }
                    }
                }
                if (lines.size() >= SAMPLE_LINES || bytes >= SAMPLE_BYTES) {
                    break;
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
