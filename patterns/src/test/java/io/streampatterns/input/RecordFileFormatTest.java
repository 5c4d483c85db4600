package io.streampatterns.input;

import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordFileFormatTest {
    private final SparkSession spark = TestSpark.get();

    private List<String> read(Path dir, String parser, List<String> fields, long maxPartitionBytes) {
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", maxPartitionBytes);
        try {
            List<String> out = new ArrayList<>();
            for (Row r : spark.read().format(RecordFileFormat.class.getName()).schema(RecordFileFormat.schema(fields.size()))
                    .options(RecordFileFormat.options(parser, fields)).load(dir.toString())
                    .selectExpr("line", "value", "parse_error", fields.isEmpty() ? "null" : "field_0")
                    .orderBy("line").collectAsList()) {
                out.add(r.getLong(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3));
            }
            return out;
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
    }

    @Test
    void everyLineKeepsItsNumberWhenTheFileIsReadInManySplits(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            lines.add(i % 7 == 0 ? "" : "{\"id\":\"e" + i + "\"}");
        }
        Files.write(dir.resolve("a.jsonl"), lines, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            if (i % 7 != 0) {
                expected.add(i + "|{\"id\":\"e" + i + "\"}|null|e" + i);
            }
        }
        // ~6 KB in splits of 100 bytes: most splits start inside a line
        assertEquals(expected, read(dir, "json", List.of("id"), 100));
        assertEquals(expected, read(dir, "json", List.of("id"), 128L << 20));
    }

    @Test
    void crlfLineEndsAreStrippedBlankLinesSkippedAndALastLineWithoutNewlineRead(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.log"), "first\r\n \t\r\n\nsecond\rstill second\r\nlast");
        assertEquals(List.of("1|first|null|null", "4|second\rstill second|null|null", "5|last|null|null"),
                read(dir, "none", List.of(), 128L << 20));
    }

    @Test
    void parseErrorsComeWithTheLineAndItsNumber(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("c.jsonl"), "{\"id\":1}\nnot json\n{\"id\":\n");
        assertEquals(List.of("1|{\"id\":1}|null|1", "2|not json|not a JSON object|null", "3|{\"id\":|unparsable JSON|null"),
                read(dir, "json", List.of("id"), 128L << 20));
    }

    @Test
    void gzipFilesAreReadWhole(@TempDir Path dir) throws IOException {
        String text = java.util.stream.IntStream.rangeClosed(1, 300).mapToObj(i -> "{\"id\":" + i + "}")
                .collect(Collectors.joining("\n"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("d.jsonl.gz")))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        List<String> rows = read(dir, "json", List.of("id"), 100);
        assertEquals(300, rows.size());
        assertEquals("300|{\"id\":300}|null|300", rows.get(299));
    }
}
