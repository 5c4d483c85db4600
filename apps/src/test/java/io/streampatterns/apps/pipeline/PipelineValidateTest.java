package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code validate}: each trap has a pipeline that is rejected with the problem at its line, and the corrected pipeline,
 * which is accepted. The pipelines read the overlay source {@code clicks} (JSON lines of the clickstream schema).
 */
class PipelineValidateTest {
    private static final String SPEC = "name: traps\nstorage: storage\nconfiguration:\n  input: in\nlibraries:\n  - glob:\n      include: transformations/**\n";
    private static final String OVERLAY = "sources:\n  clicks: {path: \"${input}\", format: jsonl, schema: clickstream}\n";
    private static final String WATERMARKED = "FROM STREAM(clicks) WATERMARK ts DELAY OF INTERVAL 10 MINUTES";

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        TestSpark.get();
    }

    @Test
    void syntaxErrorsAreEachReportedAtTheirLine() throws IOException {
        assertRejected("CREATE STREAMING TABLE a AS\nSELEC user_id FROM STREAM(clicks);\n\nCREATE STREAMING TABLE b AS\nSELECT user_id\nFROM STREAM(clicks) WHERE page =;\n",
                "transformations/flows.sql:2: syntax error", "transformations/flows.sql:6: syntax error");
        assertAccepted("CREATE STREAMING TABLE a AS\nSELECT user_id FROM STREAM(clicks);\n\nCREATE STREAMING TABLE b AS\nSELECT user_id\nFROM STREAM(clicks) WHERE page = 'home';\n");
    }

    @Test
    void unknownColumnIsReportedAtItsLineWithTheColumnsThatExist() throws IOException {
        assertRejected("-- pages\nCREATE STREAMING TABLE pages AS\nSELECT user_id,\n       pgae\nFROM STREAM(clicks);\n",
                "transformations/flows.sql:4: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `pgae` cannot be resolved. — use one of [`page`");
        assertAccepted("-- pages\nCREATE STREAMING TABLE pages AS\nSELECT user_id,\n       page\nFROM STREAM(clicks);\n");
    }

    @Test
    void unknownTableIsReported() throws IOException {
        assertRejected("CREATE STREAMING TABLE pages AS SELECT * FROM STREAM(clickz);\n",
                "transformations/flows.sql:1: [TABLE_OR_VIEW_NOT_FOUND]", "define it in a SQL file of the pipeline, or as a source in streampatterns.yml");
        assertAccepted("CREATE STREAMING TABLE pages AS SELECT * FROM STREAM(clicks);\n");
    }

    @Test
    void streamingTableOverABatchQueryIsRejected() throws IOException {
        assertRejected("CREATE STREAMING TABLE files AS SELECT * FROM json.`" + dir.resolve("in") + "`;\n",
                "transformations/flows.sql:1: the query of streaming table files reads no stream");
    }

    @Test
    void aggregationOnAStreamWithoutWatermarkIsRejected() throws IOException {
        assertRejected("CREATE STREAMING TABLE per_user AS\nSELECT user_id, count(*) AS n FROM STREAM(clicks) GROUP BY user_id;\n",
                "transformations/flows.sql:1: aggregation on a stream without a watermark: its state grows forever — declare the event time");
        assertAccepted("CREATE STREAMING TABLE per_user AS\nSELECT user_id, window.start AS minute, count(*) AS n " + WATERMARKED
                + "\nGROUP BY user_id, window(ts, '1 minute');\n");
    }

    @Test
    void dedupAndJoinWithoutWatermarkAreRejected() throws IOException {
        assertRejected("CREATE STREAMING TABLE ids AS SELECT DISTINCT event_id FROM STREAM(clicks);\n",
                "transformations/flows.sql:1: DISTINCT / dedup on a stream without a watermark");
        assertRejected("CREATE STREAMING TABLE pairs AS SELECT a.event_id, b.event_id AS other\n"
                        + "FROM STREAM(clicks) a JOIN STREAM(clicks) b ON a.user_id = b.user_id;\n",
                "transformations/flows.sql:1: stream-stream join without a watermark on either side");
        assertAccepted("CREATE STREAMING TABLE ids AS SELECT DISTINCT event_id, ts " + WATERMARKED + ";\n");
    }

    @Test
    void outerJoinOfTwoStreamsWithoutTimeBoundIsRejected() throws IOException {
        String join = "CREATE STREAMING TABLE follow_ups AS SELECT a.event_id, b.next_id\n"
                + "FROM (SELECT * FROM STREAM(clicks) WATERMARK ts DELAY OF INTERVAL 10 MINUTES) a\n"
                + "LEFT JOIN (SELECT event_id AS next_id, user_id AS next_user, ts AS next_ts FROM STREAM(clicks)\n"
                + "           WATERMARK ts DELAY OF INTERVAL 10 MINUTES) b\n"
                + "ON a.user_id = b.next_user";
        assertRejected(join + ";\n", "transformations/flows.sql:1: Spark cannot run this in Append mode: Stream-stream LeftOuter join");
        assertAccepted(join + " AND b.next_ts BETWEEN a.ts AND a.ts + INTERVAL 5 MINUTES;\n");
    }

    @Test
    void windowOverAnotherColumnThanTheWatermarksIsRejected() throws IOException {
        // the window is computed over the copy taken before the WATERMARK clause: Spark never evicts it (SPARK-30553)
        assertRejected("CREATE STREAMING TABLE per_minute AS\nSELECT window.start AS minute, count(*) AS n\n"
                        + "FROM (SELECT ts AS raw_ts, ts FROM STREAM(clicks)) WATERMARK ts DELAY OF INTERVAL 10 MINUTES\n"
                        + "GROUP BY window(raw_ts, '1 minute');\n",
                "transformations/flows.sql:1: the aggregation groups by no watermarked column", "SPARK-30553", "group by window(ts, ...)");
        assertAccepted("CREATE STREAMING TABLE per_minute AS\nSELECT window.start AS minute, count(*) AS n\n"
                + "FROM (SELECT ts AS raw_ts, ts FROM STREAM(clicks)) WATERMARK ts DELAY OF INTERVAL 10 MINUTES\n"
                + "GROUP BY window(ts, '1 minute');\n");
    }

    @Test
    void outputModeThePlanCannotSupportIsRejectedBySparksChecker() throws IOException {
        assertRejected("CREATE STREAMING TABLE sorted AS SELECT * FROM STREAM(clicks) ORDER BY ts;\n",
                "transformations/flows.sql:1: Spark cannot run this in Append mode: Sorting is not supported on streaming DataFrames");
        assertAccepted("CREATE STREAMING TABLE sorted AS SELECT * FROM STREAM(clicks);\n");
    }

    @Test
    void cycleIsReported() throws IOException {
        assertRejected("CREATE STREAMING TABLE a AS SELECT * FROM STREAM(b);\nCREATE STREAMING TABLE b AS SELECT * FROM STREAM(a);\n",
                "ircular");
    }

    @Test
    void badYamlIsReportedAtItsLine() throws IOException {
        write("name: traps\nstorage: storage\nlibraries:\n  - glob:\n    include: [transformations/**\n", "CREATE STREAMING TABLE a AS SELECT * FROM STREAM(clicks);\n");
        List<String> problems = problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches(".*spark-pipeline\\.yml:[56]: bad YAML: .* — fix the YAML syntax at this line"), problems.toString());
    }

    @Test
    void unknownSpecKeyAndConfigurationKeyAreReported() throws IOException {
        write(SPEC + "librarys: []\n", "CREATE STREAMING TABLE a AS SELECT * FROM STREAM(clicks) WHERE page = '${page}';\n");
        List<String> problems = problems();
        assertTrue(problems.stream().anyMatch(p -> p.matches(".*spark-pipeline\\.yml:8: unknown key 'librarys' — .*")), problems.toString());
        assertTrue(problems.contains("transformations/flows.sql:1: unknown configuration key 'page' — add it under 'configuration:' in the spec or pass --conf page=VALUE"),
                problems.toString());
    }

    @Test
    void badExpectationAndBadStepAreReportedAtTheirLines() throws IOException {
        write(SPEC, "CREATE STREAMING TABLE clean (\n  CONSTRAINT positive EXPECT (amount >= 0) ON VIOLATION DROP ROW,\n"
                + "  CONSTRAINT known EXPECT (pgae IS NOT NULL) ON VIOLATION QUARANTINE\n) AS SELECT * FROM STREAM(clicks);\n"
                + "CREATE STREAMING TABLE visits AS SELECT * FROM STREAM(clicks);\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY + "steps:\n  visits: {pattern: sessions, key: user_id, time: ts}\n");
        List<String> problems = problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("transformations/flows.sql:3: expectation known: ")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("streampatterns.yml:4: step of visits: option 'gap' is required")), problems.toString());
    }

    @Test
    void windowsStepWithAnUnknownFunctionOrColumnIsReportedAtItsLineAndTheCorrectedOneAccepted() throws IOException {
        String sql = "CREATE STREAMING TABLE pages AS SELECT page, ts, amount FROM STREAM(clicks);\n";
        String step = "steps:\n  pages: {pattern: windows, key: page, time: ts, watermark: 10m, windows: \"1m, 1h/5m\", aggregates: \"%s\"}\n";
        write(SPEC, sql);
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY + step.formatted("count, median(amount)"));
        assertTrue(problems().stream().anyMatch(p -> p.startsWith("streampatterns.yml:4: step of pages: aggregates: median(amount): "
                + "unknown function 'median'")), problems().toString());
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY + step.formatted("count, sum(price)"));
        assertTrue(problems().stream().anyMatch(p -> p.startsWith("streampatterns.yml:4: step of pages: ") && p.contains("price")),
                problems().toString());
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY + step.formatted("count, sum(amount), quantiles(amount, 0.5) as amount_"));
        Pipeline p = Pipeline.load(spark(), dir.resolve("spark-pipeline.yml"), Map.of(), null, false);
        assertTrue(p.graph().flows().stream().anyMatch(f -> f.name().equals("pages")), p.graph().flows().toString());
    }

    @Test
    void commandPrintsOneLinePerProblemAndExitsWith2() throws IOException {
        write(SPEC, "CREATE STREAMING TABLE a AS\nSELEC 1;\nCREATE STREAMING TABLE b AS SELECT nope FROM STREAM(clicks);\n");
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cli.execute(new ValidateCommand(), dir.resolve("spark-pipeline.yml").toString());
        } finally {
            System.setOut(out);
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, code);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("transformations/flows.sql:2: syntax error"), lines.toString());
        assertTrue(lines.get(1).startsWith("transformations/flows.sql:3: [UNRESOLVED_COLUMN"), lines.toString());
        assertTrue(lines.get(1).endsWith("— use one of [`ts`, `type`, `page`, `amount`, `device`]"), lines.toString());
    }

    private void assertRejected(String sql, String... expected) throws IOException {
        write(SPEC, sql);
        List<String> problems = problems();
        for (String e : expected) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(e)), "'" + e + "' not in " + problems);
        }
    }

    private void assertAccepted(String sql) throws IOException {
        write(SPEC, sql);
        Pipeline p = Pipeline.load(spark(), dir.resolve("spark-pipeline.yml"), Map.of(), null, false);
        assertFalse(p.graph().flows().isEmpty());
        assertFalse(Files.exists(dir.resolve("storage")), "validate writes nothing");
    }

    private List<String> problems() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> Pipeline.load(spark(), dir.resolve("spark-pipeline.yml"), Map.of(), null, false));
        return e.problems().stream().map(Problem::toString).toList();
    }

    private void write(String spec, String sql) throws IOException {
        Files.writeString(dir.resolve("spark-pipeline.yml"), spec);
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY);
        Files.createDirectories(dir.resolve("transformations"));
        Files.writeString(dir.resolve("transformations/flows.sql"), sql);
        if (!Files.exists(dir.resolve("in"))) {
            Files.createDirectories(dir.resolve("in"));
            InputFiles.write(dir.resolve("in/part-0.jsonl"), List.of(
                    "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"ts\":\"2024-01-01T00:00:00Z\",\"type\":\"view\",\"page\":\"home\"}"));
        }
    }

    private static SparkSession spark() {
        return TestSpark.get();
    }
}
