package io.streampatterns.apps.show;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.cli.LocationConverter;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.SparkSessions;
import io.streampatterns.core.Storage;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Iterator;

/** {@code streampatterns show PATH}: prints a Delta table (results, quarantine) without writing code. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print a Delta table's rows as JSON lines, CSV or a table.",
                "--format jsonl: one JSON object per line; csv: a header, then one line per row; table: aligned columns."})
public final class ShowCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH|URI", converter = LocationConverter.class,
            description = "Directory of a Delta table: a local path or a Hadoop file system URI (hdfs://, s3a://, ...).")
    URI path;

    @Option(names = "--format", defaultValue = "table", paramLabel = "jsonl|csv|table", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N rows (0 = all; table format defaults to 20).")
    int limit;

    @Override
    public void run() {
        ConfigException.check(format.matches("jsonl|csv|table"), "--format must be jsonl, csv or table, got '" + format + "'");
        // first the session: its Hadoop configuration (spark.hadoop.*) reaches the table's file system
        SparkSession spark = SparkSessions.getOrCreate("streampatterns-show");
        ConfigException.check(Storage.isDirectory(path), "no such table directory: " + Storage.text(path));
        ConfigException.check(DeltaTable.isDeltaTable(spark, Storage.text(path)), "not a Delta table: " + Storage.text(path));
        Dataset<Row> table = spark.read().format("delta").load(Storage.text(path));
        if (limit > 0) {
            table = table.limit(limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "jsonl":
                print(table.toJSON().toLocalIterator(), out);
                break;
            case "csv":
                out.println(String.join(",", table.columns()));
                Iterator<Row> rows = table.toLocalIterator();
                while (rows.hasNext()) {
                    out.println(csvLine(rows.next()));
                }
                break;
            default:
                out.print(aligned(table.columns(), table.limit(limit > 0 ? limit : 20).collectAsList()));
        }
        out.flush();
    }

    private static void print(Iterator<String> lines, PrintWriter out) {
        while (lines.hasNext()) {
            out.println(lines.next());
        }
    }

    public static String aligned(String[] header, java.util.List<Row> rows) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (Row r : rows) {
                width[i] = Math.max(width[i], String.valueOf(r.get(i)).length());
            }
        }
        StringBuilder b = new StringBuilder();
        appendLine(b, header, width);
        for (Row r : rows) {
            String[] cells = new String[header.length];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = String.valueOf(r.get(i));
            }
            appendLine(b, cells, width);
        }
        return b.toString();
    }

    private static void appendLine(StringBuilder b, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            b.append(i == 0 ? "" : " | ").append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
        }
        b.append('\n');
    }

    static String csvLine(Row r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Object v = r.get(i);
            if (v != null) {
                String s = v.toString();
                b.append(s.matches(".*[,\"\\r\\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
        }
        return b.toString();
    }

    public static void main(String[] args) {
        Cli.main(new ShowCommand(), args);
    }
}
