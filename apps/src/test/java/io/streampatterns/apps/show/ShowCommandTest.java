package io.streampatterns.apps.show;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShowCommandTest {
    static String show(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Cli.commandLine(new ShowCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args));
        return out.toString();
    }

    @Test
    void printsEveryRowAsJsonLinesCsvOrTable(@TempDir Path dir) {
        SparkSession spark = TestSpark.get();
        String table = dir.resolve("t").toString();
        spark.sql("SELECT * FROM VALUES ('a', 1), ('b,c', 2) AS t(name, n)").orderBy("n").coalesce(1)
                .write().format("delta").save(table);
        assertEquals(List.of("{\"name\":\"a\",\"n\":1}", "{\"name\":\"b,c\",\"n\":2}"),
                List.of(show(table, "--format", "jsonl").trim().split("\n")));
        assertEquals(List.of("name,n", "a,1", "\"b,c\",2"), List.of(show(table, "--format", "csv").trim().split("\n")));
        assertEquals(List.of("name | n", "a    | 1", "b,c  | 2"), List.of(show(table).trim().split("\n")));
        assertEquals(List.of("{\"name\":\"a\",\"n\":1}"), List.of(show(table, "--format", "jsonl", "--limit", "1").trim().split("\n")));
    }

    @Test
    void missingOrNonDeltaPathIsAConfigError(@TempDir Path dir) {
        assertEquals(2, Cli.execute(new ShowCommand(), dir.resolve("nope").toString()));
        assertEquals(2, Cli.execute(new ShowCommand(), dir.toString()));
        assertEquals(2, Cli.execute(new ShowCommand(), dir.toString(), "--format", "xml"));
    }
}
