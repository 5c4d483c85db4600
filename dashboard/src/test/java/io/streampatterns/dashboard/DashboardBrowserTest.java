package io.streampatterns.dashboard;

import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.dashboard.HeadlessChromium.figure;
import static io.streampatterns.dashboard.HeadlessChromium.script;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page in a real headless Chromium ({@link HeadlessChromium}).
 * The monitor's output comes from {@link MonitorOutput}: here {@link MonitorFixture} writes the tables; the test needs
 * only a directory and a way to make more rows appear, so the real monitor pipeline can stand in for it.
 */
class DashboardBrowserTest {
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    static final String TOKEN = "browser-test-token-0123456789";

    /** What the browser test needs of the monitor: its output directory, and more minutes appended on demand. */
    interface MonitorOutput {
        Path dir();

        void produceMoreMinutes(int minutes);
    }

    @TempDir
    Path tmp;

    @Test
    void pageDrawsTheMonitorTablesAndFollowsAppendedRows() throws IOException {
        SparkSession spark = TestSpark.get();
        MonitorFixture fixture = new MonitorFixture(spark, tmp.resolve("monitor"), Instant.parse("2024-05-01T10:00:00Z"));
        MonitorOutput monitor = new MonitorOutput() {
            @Override
            public Path dir() {
                return fixture.dir();
            }

            @Override
            public void produceMoreMinutes(int minutes) {
                fixture.simulate(minutes);
            }
        };
        monitor.produceMoreMinutes(30);
        runOneQueryWithProgressFiles(spark, monitor.dir().resolve("_progress"));
        QueryWarning lag = new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, "requests_per_minute", "requests_per_minute falls behind:"
                + " batch durations 12.4 s, 11.9 s, 12.8 s > trigger 10 s for 3 batches; input 5,200 rows/s > processed 3,100 rows/s");
        writeProgressFile(monitor.dir().resolve("_progress").resolve("requests_per_minute.json"),
                QueryFigures.fromProgress(Json.parse(PrometheusTest.PROGRESS)).withWarnings(java.util.List.of(lag)));

        MonitorTables tables = MonitorTables.of(spark, monitor.dir().toUri());
        QueryHealth health = new QueryHealth();
        try (DashboardServer server = DashboardServer.start(ServerOptions.defaults().port(0).token(TOKEN), tables::metrics, () -> {
            health.load(monitor.dir().resolve("_progress").toUri());
            return health.queries();
        })) {
            WebDriver browser = HeadlessChromium.start(tmp.resolve("chromium-profile"));
            try {
                browser.get(server.url() + "?token=" + TOKEN);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(200));
                wait.until(d -> figure(d, "points") > 0 && d.findElements(By.cssSelector("#chart-requests canvas")).size() == 1);
                assertEquals(30, figure(browser, "points"));
                assertEquals(3, browser.findElements(By.cssSelector(".chart canvas")).size(), "requests, errors, latency");
                assertEquals("latency", script(browser, "return window.dashboard.quantiles"));
                String requestsBefore = browser.findElement(By.id("last-requests")).getText();
                assertEquals(String.format(Locale.US, "%,d", figure(browser, "lastRequests")), requestsBefore);
                assertEquals("1", browser.findElement(By.id("active-alerts")).getText());
                assertTrue(browser.findElement(By.cssSelector("#alerts tbody tr.firing")).getText().contains("error_rate_5xx"));
                HeadlessChromium.assertNoHorizontalScroll(browser, 1280);
                assertEquals(MonitorFixture.LONG_MESSAGE, browser.findElement(By.cssSelector("#alerts tbody tr.firing td.message"))
                        .getAttribute("title"), "the whole message on hover");
                assertEquals(1, browser.findElements(By.cssSelector("#health tbody tr.stopped")).size(), "the fixture's query stopped");
                assertEquals("\u26a0 " + lag.message(), browser.findElement(By.cssSelector("#health tbody tr.warning")).getText(),
                        "issue 13: the warning under its query, whole, as the CLI prints it");
                assertEquals("requests_per_minute", browser.findElement(By.cssSelector("#health tbody tr.warning"))
                        .findElement(By.xpath("preceding-sibling::tr[1]/td[1]")).getText());

                monitor.produceMoreMinutes(5);
                wait.until(d -> figure(d, "points") == 35
                        && !d.findElement(By.id("last-requests")).getText().equals(requestsBefore));
                assertEquals(String.format(Locale.US, "%,d", figure(browser, "lastRequests")),
                        browser.findElement(By.id("last-requests")).getText());
                HeadlessChromium.screenshot(browser, SCREENSHOT);
            } finally {
                browser.quit();
            }
        }
    }

    /** A progress file as {@link ProgressFiles} writes it, with {@code figures}. */
    private static void writeProgressFile(Path file, QueryFigures figures) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode content = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(PrometheusTest.PROGRESS);
        content.set(ProgressFiles.FIGURES_FIELD, figures.withHeartbeat(Instant.now(), "1@test").toJson());
        java.nio.file.Files.writeString(file, Json.write(content));
    }

    /** A real watermarked aggregation whose progress (then its stop) {@link ProgressFiles} writes into {@code dir}. */
    private static void runOneQueryWithProgressFiles(SparkSession spark, Path dir) {
        ProgressFiles files = ProgressFiles.in(dir.toUri());
        spark.streams().addListener(files);
        try (files; StreamScenario s = StreamScenario.of(spark, QueryHealthTest.EVENTS, QueryHealthTest::tenMinuteCounts).start()) {
            s.send(row("u1", ts("10:01")), row("u2", ts("10:04")));
            s.send(row("u1", ts("10:20")));
            s.stop();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } finally {
            spark.streams().removeListener(files);
        }
    }
}
