package io.streampatterns.apps.pipeline;

import io.delta.tables.DeltaTable;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.show.ShowCommand;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code streampatterns sql SPEC [-e SQL]}: ad-hoc SQL over the Delta tables of a running or stopped pipeline, each
 * visible under its table name (a batch read of its latest version; Delta lets a reader see a table while it is
 * written).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Query the Delta tables of a SQL pipeline with ad-hoc SQL.",
                "Every table under the pipeline's storage (quarantine tables too) is a view of its name. With -e, runs that"
                        + " statement and prints its rows; without, reads statements (ended by ;) from the terminal."})
public final class SqlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "The spark-pipeline.yml (or its directory).")
    Path spec;

    @Mixin
    PipelineOptions options;

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "The statement to run, e.g. \"SELECT count(*) FROM sessions\".")
    String execute;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Print at most N rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws IOException {
        PipelineSpec p = PipelineSpec.load(spec, options.conf(), options.storage());
        ConfigException.check(p.storage() != null, "the spec has no storage (pass --storage DIR)");
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-sql");
        List<String> tables = registerTables(spark, Storage.location(p.storage()));
        if (execute != null) {
            print(spark, execute);
            return 0;
        }
        System.err.println("tables: " + String.join(", ", tables) + "  (end statements with ;, quit with Ctrl-D)");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder statement = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            statement.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                try {
                    print(spark, statement.toString().strip().replaceAll(";$", ""));
                } catch (Exception e) {
                    System.err.println("error: " + SdpGraph.firstSentence(e.getMessage()));
                }
                statement.setLength(0);
            }
        }
        return 0;
    }

    private void print(SparkSession spark, String sql) {
        Dataset<Row> rows = spark.sql(sql);
        System.out.println(ShowCommand.aligned(rows.columns(), rows.limit(limit).collectAsList()));
    }

    /** Every Delta table directly under {@code storage}, as a temporary view of its directory's name. */
    static List<String> registerTables(SparkSession spark, URI storage) {
        ConfigException.check(Storage.isDirectory(storage), "no tables yet: " + Storage.text(storage)
                + " does not exist (run the pipeline first)");
        List<String> names = new ArrayList<>();
        for (URI d : Storage.list(storage)) {
            String name = Storage.name(d);
            if (!name.startsWith("_") && DeltaTable.isDeltaTable(spark, Storage.text(d))) {
                spark.read().format("delta").load(Storage.text(d)).createOrReplaceTempView(name);
                names.add(name);
            }
        }
        return names;
    }
}
