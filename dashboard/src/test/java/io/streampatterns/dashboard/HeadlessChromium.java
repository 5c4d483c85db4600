package io.streampatterns.dashboard;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real headless Chromium for the dashboard's browser tests (Debian's {@code chromium} + {@code chromium-driver},
 * installed by {@code scripts/ensure-browser.sh}; Selenium is given both paths, so its Selenium Manager never
 * downloads anything), and what the tests read of the page: {@code window.dashboard} (see dashboard.js).
 * Shared with the apps module's browser test through the dashboard's test jar.
 */
public final class HeadlessChromium {
    static final Path CHROMIUM = Path.of(System.getProperty("streampatterns.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("streampatterns.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    /** Starts the browser with its profile in {@code profile}; fails the test, saying how to install it, when it is missing. */
    public static WebDriver start(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("headless Chromium is required for the dashboard's browser test but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: run scripts/ensure-browser.sh (apt-get install -y chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1200", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            return new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            fail("cannot start headless Chromium (" + CHROMIUM + " via " + CHROMEDRIVER + "): " + e.getMessage(), e);
            throw e;
        }
    }

    /** A numeric field of {@code window.dashboard}, or -1 while the page has not set it. */
    public static long figure(WebDriver d, String field) {
        Object v = script(d, "return window.dashboard ? window.dashboard." + field + " : null");
        return v instanceof Number ? ((Number) v).longValue() : -1;
    }

    public static Object script(WebDriver d, String js) {
        return ((JavascriptExecutor) d).executeScript(js);
    }

    /** Resizes the window to {@code width} px and checks that the page is not wider than it (no horizontal scroll). */
    public static void assertNoHorizontalScroll(WebDriver d, int width) {
        d.manage().window().setSize(new Dimension(width, 1000));
        Object widths = script(d, "return [window.innerWidth, document.documentElement.clientWidth, document.documentElement.scrollWidth]");
        java.util.List<?> w = (java.util.List<?>) widths;
        long client = ((Number) w.get(1)).longValue();
        long scroll = ((Number) w.get(2)).longValue();
        assertTrue(Math.abs(((Number) w.get(0)).longValue() - width) <= 20, "window width " + w);
        if (scroll > client) {
            Object wide = script(d, "const out = []; for (const e of document.querySelectorAll('body *')) {"
                    + " const r = e.getBoundingClientRect(), w = document.documentElement.clientWidth + 0.5;"
                    + " if (r.right > w && e.parentElement.getBoundingClientRect().right <= w && out.length < 8) out.push(e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')"
                    + " + ' right=' + Math.round(r.right)); } return out.join(', ');");
            throw new AssertionError("the page scrolls sideways at " + width + " px: content " + scroll + " px wide, view "
                    + client + " px; wider: " + wide);
        }
    }

    /** Saves a PNG of the page as the browser shows it. */
    public static void screenshot(WebDriver d, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
    }
}
