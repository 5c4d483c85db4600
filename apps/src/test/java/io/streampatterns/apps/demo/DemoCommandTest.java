package io.streampatterns.apps.demo;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo runs every landed use case end to end and its result tables hold what its inputs imply. */
class DemoCommandTest {
    @Test
    void demoRunsEveryUseCaseAndExitsZero(@TempDir Path dir) {
        SparkSession spark = TestSpark.get();
        Path out = dir.resolve("demo");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Cli.execute(new DemoCommand(), "--out", out.toString(), "--dashboard-port", "0"));
        } finally {
            System.setOut(stdout);
        }
        String summary = printed.toString(StandardCharsets.UTF_8);
        stdout.print(summary);

        Path lake = out.resolve("lake");
        long distinctClicks = spark.read().json(out.resolve("input/clickstream").toString()).select("event_id").distinct().count();
        assertEquals(distinctClicks, count(spark, lake.resolve("clicks")), "every distinct generated click once");
        assertEquals(distinctClicks, count(spark, lake.resolve("sql/clicks")), "the SQL pipeline: every distinct click once");
        assertEquals(10_000, count(spark, lake.resolve("access")) + count(spark, lake.resolve("access_quarantine")),
                "every Apache log line ingested or quarantined");
        org.apache.spark.sql.Row minutes = spark.read().format("delta").load(lake.resolve("monitor/requests_per_minute").toString())
                .selectExpr("count(*)", "sum(requests)").first();
        long perEndpoint = spark.read().format("delta").load(lake.resolve("monitor/endpoints_per_minute").toString())
                .selectExpr("sum(requests)").first().getLong(0);
        assertTrue(minutes.getLong(0) > 100 && minutes.getLong(1) <= MonitorDemo.LINES, "monitor minutes: " + minutes);
        assertEquals(minutes.getLong(1), perEndpoint, "every request in one endpoint group too");
        assertTrue(count(spark, lake.resolve("monitor/alerts")) > 0, "the generated incidents raise alerts");
        org.apache.spark.sql.Row sessions = spark.read().format("delta").load(lake.resolve("sessions").toString())
                .selectExpr("count(*)", "sum(event_count)").first();
        assertTrue(sessions.getLong(0) > 0 && sessions.getLong(1) <= distinctClicks,
                "final sessions hold at most every click once: " + sessions);
        long pageViews = spark.read().json(out.resolve("input/clickstream").toString())
                .filter("type = 'page_view'").select("event_id").distinct().count();
        long withClick = spark.read().format("delta").load(lake.resolve("impressions_clicks").toString())
                .select("left_ts", "key").distinct().count();
        assertTrue(withClick > 0 && withClick <= pageViews, "impressions joined with clicks: " + withClick);
        long enriched = count(spark, lake.resolve("transactions_enriched"));
        assertTrue(enriched > 0 && enriched <= 20_000, "transactions enriched: " + enriched);
        long merchants = spark.read().json(out.resolve("input/merchants").toString()).select("merchant_id").distinct().count();
        assertEquals(merchants - deletedMerchants(spark, out), spark.read().format("delta")
                .load(lake.resolve("merchants_scd2").toString()).filter("is_current").count(), "one current version per live merchant");
        long transactions = count(spark, lake.resolve("transactions"));
        assertEquals(spark.read().json(out.resolve("input/transactions").toString()).select("tx_id").distinct().count(), transactions,
                "every distinct generated transaction once in the lake");
        assertEquals(transactions, summaryCount(summary, "search index transactions"), "and once in the search index");
        assertEquals(transactions, summaryCount(summary, "kafka topic transactions-clean"), "and once in the Kafka topic");
        assertEquals(count(spark, lake.resolve("monitor/alerts")), summaryCount(summary, "kafka topic alerts"),
                "every alert once in the alerts topic");
        assertEquals(FraudDemo.EVENTS, count(spark, lake.resolve("fraud/scores")), "every payment scored once");
        assertTrue(count(spark, lake.resolve("fraud/models")) > 3, "the fraud model learnt in several batches");
        assertEquals(2, Cli.execute(new DemoCommand(), "--out", out.resolve("input").toString()), "refuses a foreign directory");
    }

    private static long deletedMerchants(SparkSession spark, Path out) {
        return spark.read().json(out.resolve("input/merchants").toString())
                .groupBy("merchant_id").agg(org.apache.spark.sql.functions.max_by(
                        org.apache.spark.sql.functions.col("op"), org.apache.spark.sql.functions.col("change_ts")).alias("last_op"))
                .filter("last_op = 'delete'").count();
    }

    /** The count the summary line starting with {@code what} reports. */
    private static long summaryCount(String summary, String what) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(what) + "\\s+(\\d+) ", Pattern.MULTILINE).matcher(summary);
        assertTrue(m.find(), "no summary line '" + what + "' in:\n" + summary);
        return Long.parseLong(m.group(1));
    }

    private static long count(SparkSession spark, Path table) {
        return spark.read().format("delta").load(table.toString()).count();
    }
}
