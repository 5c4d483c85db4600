package io.streampatterns.apps.monitor;

import io.streampatterns.alerts.AlertRule;
import io.streampatterns.alerts.AlertRules;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.dashboard.DashboardServer;
import io.streampatterns.dashboard.HeadlessChromium;
import io.streampatterns.dashboard.MonitorTables;
import io.streampatterns.dashboard.ProgressFiles;
import io.streampatterns.dashboard.QueryHealth;
import io.streampatterns.dashboard.ServerOptions;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.streampatterns.dashboard.HeadlessChromium.figure;
import static io.streampatterns.dashboard.HeadlessChromium.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in headless Chromium over the REAL monitor pipeline (issue 5): generated Apache logs → the running
 * metrics (which also writes the quarantine) and alert queries (sample rules, 500 ms trigger) → Delta tables and progress files → the
 * dashboard server → the page. The page must draw the minutes the pipeline wrote, list the running queries, then
 * follow a second batch of log files (after a gap in traffic that the no-traffic rule reports), and show the queries
 * stopped at the end. The screenshot is {@code apps/target/monitor-dashboard.png}.
 */
class MonitorDashboardBrowserTest {
    static final Path SCREENSHOT = Path.of("target", "monitor-dashboard.png");
    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    static final List<String> QUERIES = List.of("monitor-alerts", "monitor-metrics");

    @TempDir
    Path tmp;

    @Test
    void pageDrawsTheRunningPipelinesMinutesAndFollowsNewLogFiles() throws IOException {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("monitor");
        // ~16 minutes of traffic at noon (about 250 lines a minute), then a second batch after over 5 minutes of silence
        Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(5).withStart(START), OutputOptions.of(in, 4_000).withEventsPerFile(1_000));

        MonitorApp.Options o = MonitorApp.Options.of(out.toUri()).withRules(sampleRules());
        ProgressFiles progress = ProgressFiles.in(out.resolve("_progress").toUri());
        spark.streams().addListener(progress);
        List<StreamingQuery> queries = new ArrayList<>();
        MonitorTables tables = MonitorTables.of(spark, out.toUri());
        QueryHealth health = new QueryHealth();
        try (DashboardServer server = DashboardServer.start(ServerOptions.defaults().port(0), tables::metrics, () -> {
            health.load(progress.dir());
            return health.queries();
        })) {
            java.net.URI checkpoints = tmp.resolve("checkpoints").toUri();
            Trigger trigger = Trigger.ProcessingTime(500, TimeUnit.MILLISECONDS);
            queries.add(MonitorApp.startAlerts(spark, MonitorFiles.input(spark, in, o), o, checkpoints, trigger));
            queries.add(MonitorApp.startMetrics(spark, MonitorFiles.input(spark, in, o), o, checkpoints, trigger));
            processAll(queries);
            List<Row> before = minutes(spark, out);
            assertTrue(before.size() >= 8, "closed minutes of the first batch: " + before.size());

            WebDriver browser = HeadlessChromium.start(tmp.resolve("chromium-profile"));
            try {
                browser.get(server.url());
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
                wait.until(d -> figure(d, "points") == before.size() && healthRows(d, "active").size() == QUERIES.size());
                assertEquals(QUERIES, healthRows(browser, "active"), "the running queries, from their progress files");
                assertEquals(3, browser.findElements(By.cssSelector(".chart canvas")).size(), "requests, errors, latency");
                assertEquals("latency", script(browser, "return window.dashboard.quantiles"), "the generated log has %D");
                assertLastMinuteShown(browser, before);

                Path later = tmp.resolve("later");
                Instant restart = START.plus(Duration.ofMinutes(30));
                Instant lastClosed = ((Timestamp) before.get(before.size() - 1).getAs("window_start")).toInstant();
                assertTrue(lastClosed.plus(Duration.ofMinutes(10)).isBefore(restart), "a silent gap of over 5 minutes: " + lastClosed);
                Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(6).withStart(restart), OutputOptions.of(later, 2_000));
                moveInto(later, in, "later-");
                processAll(queries);
                List<Row> after = minutes(spark, out);
                assertTrue(after.size() > before.size(), "the second batch closes more minutes");
                wait.until(d -> figure(d, "points") == after.size());
                assertLastMinuteShown(browser, after);

                String resolved = "resolved no-traffic * " + page(restart.plusSeconds(60));
                new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200))
                        .withMessage(() -> "alerts on the page " + pageAlerts(browser) + ", in the table " + alertRows(spark, out))
                        .until(d -> pageAlerts(d).contains(resolved));
                List<String> written = alertRows(spark, out);
                wait.until(d -> pageAlerts(d).equals(written));
                assertTrue(written.stream().anyMatch(a -> a.startsWith("firing no-traffic * ")),
                        "the silent minutes before " + restart + " raise the no-traffic alert, resolved with the first busy minute: " + written);
                assertEquals(String.valueOf(rows(browser, "alerts").stream().filter(r -> r.get(0).equals("firing")).count()),
                        browser.findElement(By.id("active-alerts")).getText());
                HeadlessChromium.assertNoHorizontalScroll(browser, 1280);
                HeadlessChromium.screenshot(browser, SCREENSHOT);

                stopAll(queries);
                wait.until(d -> healthRows(d, "stopped").equals(QUERIES));
            } finally {
                browser.quit();
            }
        } finally {
            stopAll(queries);
            spark.streams().removeListener(progress);
            progress.close();
        }
    }

    private static List<AlertRule> sampleRules() throws IOException {
        try (InputStream yaml = MonitorDashboardBrowserTest.class.getClassLoader().getResourceAsStream("sample/monitor/rules.yaml")) {
            return AlertRules.parse(new String(yaml.readAllBytes(), StandardCharsets.UTF_8), "sample/monitor/rules.yaml");
        }
    }

    /** Alerts read the minute tables: the window query goes first, the alert query last. */
    private static void processAll(List<StreamingQuery> queries) {
        queries.get(1).processAllAvailable();
        queries.get(0).processAllAvailable();
    }

    private static void stopAll(List<StreamingQuery> queries) {
        try {
            for (StreamingQuery q : queries) {
                q.stop();
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void moveInto(Path from, Path to, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.sorted().collect(Collectors.toList())) {
                Files.move(f, to.resolve(prefix + f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** requests_per_minute in time order (all within the dashboard's 3-hour horizon). */
    private static List<Row> minutes(SparkSession spark, Path out) {
        return spark.read().format("delta").load(out.resolve(MonitorApp.MINUTES).toString()).orderBy("window_start").collectAsList();
    }

    /** The newest minute's requests, in the tile and in {@code window.dashboard}. */
    private static void assertLastMinuteShown(WebDriver browser, List<Row> minutes) {
        long requests = minutes.get(minutes.size() - 1).getAs("requests");
        assertEquals(requests, figure(browser, "lastRequests"));
        assertEquals(String.format(Locale.US, "%,d", requests), browser.findElement(By.id("last-requests")).getText());
    }

    /** The names in the health table's rows of class {@code state}, in order. */
    private static List<String> healthRows(WebDriver d, String state) {
        List<String> names = new ArrayList<>();
        for (List<String> row : rows(d, "health")) {
            if (row.get(0).equals(state)) {
                names.add(row.get(1));
            }
        }
        return names;
    }

    /**
     * The rows of the page's table {@code id}, each its class then its cells, read in one script: the page replaces
     * them on every refresh, so elements found one by one could go stale in between.
     */
    @SuppressWarnings("unchecked")
    private static List<List<String>> rows(WebDriver d, String id) {
        return (List<List<String>>) script(d, "return Array.from(document.querySelectorAll('#" + id + " tbody tr'))"
                + ".map(tr => [tr.className].concat(Array.from(tr.cells).map(c => c.textContent)))");
    }

    /** "state rule endpoint at" of each row of the alerts table, sorted. */
    private static List<String> alertRows(SparkSession spark, Path out) {
        List<String> rows = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(out.resolve(MonitorApp.ALERTS).toString())
                .collectAsList()) {
            rows.add(r.getAs("state") + " " + r.getAs("rule") + " " + r.getAs("endpoint") + " "
                    + page(((Timestamp) r.getAs("at")).toInstant()));
        }
        rows.sort(String::compareTo);
        return rows;
    }

    /** The same of the page's alerts table (current alerts are shown as FIRING), sorted. */
    private static List<String> pageAlerts(WebDriver d) {
        List<String> alerts = new ArrayList<>();
        for (List<String> row : rows(d, "alerts")) {
            if (row.size() > 5) {
                alerts.add(row.get(1).toLowerCase(Locale.ROOT) + " " + row.get(3) + " " + row.get(4) + " " + row.get(5));
            }
        }
        alerts.sort(String::compareTo);
        return alerts;
    }

    /** An instant as the page prints it: "2024-05-01 12:21:00" (UTC). */
    private static String page(Instant t) {
        return t.toString().replace('T', ' ').replace("Z", "");
    }
}
