package io.streampatterns.apps.join;

import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JoinCommandTest {
    final SparkSession spark = TestSpark.get();
    @TempDir
    Path dir;

    Path jsonl(String input, String file, String... lines) throws IOException {
        Path d = Files.createDirectories(dir.resolve(input));
        InputFiles.write(d.resolve(file), List.of(lines));
        return d;
    }

    List<String> table(Path path, String orderBy) {
        return spark.read().format("delta").load(path.toString())
                .orderBy(Arrays.stream(orderBy.split(",")).map(functions::col).toArray(Column[]::new))
                .collectAsList().stream().map(Row::toString).toList();
    }

    List<String> columns(Path path) {
        return List.of(spark.read().format("delta").load(path.toString()).columns());
    }

    static String imp(String ad, String time, String campaign) {
        return "{\"ad\":\"" + ad + "\",\"ts\":\"2024-05-01T" + time + "Z\",\"campaign\":\"" + campaign + "\"}";
    }

    static String click(String ad, String time, String click) {
        return "{\"ad\":\"" + ad + "\",\"ts\":\"2024-05-01T" + time + "Z\",\"click\":\"" + click + "\"}";
    }

    @Test
    void streamLeftOuterWritesMatchesAndUnmatchedImpressionsOnceTheWatermarkPassed() throws IOException {
        jsonl("imp", "1.jsonl", imp("a1", "10:00:00", "c1"), imp("a2", "10:02:00", "c2"));
        jsonl("imp", "2.jsonl", imp("x", "10:30:00", "cx"));
        Path left = jsonl("imp", "3.jsonl", imp("y", "11:00:00", "cy"));
        jsonl("clicks", "1.jsonl", click("a1", "10:04:00", "k1"), "{not json");
        jsonl("clicks", "2.jsonl", click("x", "10:30:05", "kx"), click("a2", "10:20:00", "too-late-for-a2"));
        Path right = jsonl("clicks", "3.jsonl", click("z", "11:00:00", "kz"));
        Path out = dir.resolve("out");

        int code = Cli.execute(new JoinCommand(), "stream", "--left", left.toString(), "--right", right.toString(),
                "--key", "ad", "--left-time", "ts", "--right-time", "ts", "--right-between", "-5s,10m",
                "--watermark", "5m", "--type", "left-outer", "--output", out.toString(),
                "--once", "--max-files-per-batch", "1");

        assertEquals(0, code);
        assertEquals(List.of("key", "left_campaign", "left_ts", "right_click", "right_ts"), columns(out));
        assertEquals(List.of(
                "[a1,c1,2024-05-01 10:00:00.0,k1,2024-05-01 10:04:00.0]",
                "[a2,c2,2024-05-01 10:02:00.0,null,null]",
                "[x,cx,2024-05-01 10:30:00.0,kx,2024-05-01 10:30:05.0]"), table(out, "key"));
        assertEquals(1, spark.read().format("delta").load(dir.resolve("out_quarantine").toString()).count());
    }

    @Test
    void temporalJoinsEachFactWithTheVersionValidAtItsTimeAndKeepsTheHistory() throws IOException {
        jsonl("facts", "1.jsonl", fact("m1", "10:02", 10), fact("m2", "10:03", 5));
        jsonl("facts", "2.jsonl", fact("m1", "10:06", 20), fact("m2", "10:07", 7));
        jsonl("facts", "3.jsonl", fact("m9", "10:30", 1));
        Path facts = jsonl("facts", "4.jsonl", fact("m9", "10:31", 2));
        jsonl("changes", "1.jsonl", change("m1", "10:00", "upsert", "Shop A"), change("m2", "10:00", "upsert", "Shop B"));
        jsonl("changes", "2.jsonl", change("m1", "10:05", "upsert", "Shop A2"), change("m2", "10:04", "delete", null));
        jsonl("changes", "3.jsonl", change("m9", "10:30", "upsert", "Shop Z"));
        Path changes = jsonl("changes", "4.jsonl", change("m9", "10:31", "upsert", "Shop Z2"));
        Path out = dir.resolve("enriched");
        Path history = dir.resolve("merchants_scd2");

        int code = Cli.execute(new JoinCommand(), "temporal", "--facts", facts.toString(), "--changes", changes.toString(),
                "--key", "merchant", "--fact-time", "ts", "--change-time", "changed_at", "--watermark", "5m",
                "--output", out.toString(), "--history", history.toString(), "--once", "--max-files-per-batch", "1");

        assertEquals(0, code);
        assertEquals(List.of("amount", "merchant", "ts", "dim_changed_at", "dim_name", "dim_op"), columns(out));
        assertEquals(List.of(
                "[10,m1,2024-05-01 10:02:00.0,2024-05-01 10:00:00.0,Shop A,upsert]",
                "[20,m1,2024-05-01 10:06:00.0,2024-05-01 10:05:00.0,Shop A2,upsert]",
                "[5,m2,2024-05-01 10:03:00.0,2024-05-01 10:00:00.0,Shop B,upsert]",
                "[7,m2,2024-05-01 10:07:00.0,null,null,null]"), table(out, "merchant,ts"));
        assertEquals(List.of(
                "[m1,Shop A,2024-05-01 10:00:00.0,2024-05-01 10:05:00.0,false]",
                "[m1,Shop A2,2024-05-01 10:05:00.0,null,true]",
                "[m2,Shop B,2024-05-01 10:00:00.0,2024-05-01 10:04:00.0,false]",
                "[m9,Shop Z,2024-05-01 10:30:00.0,2024-05-01 10:31:00.0,false]",
                "[m9,Shop Z2,2024-05-01 10:31:00.0,null,true]"), table(history, "merchant,valid_from"));
    }

    @Test
    void badRangeOrJoinTypeIsAUsageErrorWithExitCode2() {
        String[] common = {"--left", "l", "--right", "r", "--key", "k", "--left-time", "t", "--right-time", "t",
                "--watermark", "1m", "--output", "o"};
        assertEquals(2, Cli.execute(new JoinCommand(), concat(new String[]{"stream", "--right-between", "10s"}, common)));
        assertEquals(2, Cli.execute(new JoinCommand(), concat(new String[]{"stream", "--right-between", "0s,1m", "--type", "sideways"}, common)));
    }

    static String fact(String merchant, String time, int amount) {
        return "{\"merchant\":\"" + merchant + "\",\"ts\":\"2024-05-01T" + time + ":00Z\",\"amount\":" + amount + "}";
    }

    static String change(String merchant, String time, String op, String name) {
        return "{\"merchant\":\"" + merchant + "\",\"changed_at\":\"2024-05-01T" + time + ":00Z\",\"op\":\"" + op + "\""
                + (name == null ? "" : ",\"name\":\"" + name + "\"") + "}";
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
