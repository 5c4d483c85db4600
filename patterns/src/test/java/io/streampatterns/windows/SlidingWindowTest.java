package io.streampatterns.windows;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlidingWindowTest {

    @Test
    void sizeAloneIsTumblingAndSizeSlashSlideIsSliding() {
        assertEquals(SlidingWindow.tumbling(Duration.ofMinutes(1)), SlidingWindow.parse("1m", "windows"));
        assertEquals(SlidingWindow.of(Duration.ofHours(1), Duration.ofMinutes(1)), SlidingWindow.parse(" 1h / 1m ", "windows"));
    }

    @Test
    void paneIsTheGreatestCommonDivisorOfSizeAndSlide() {
        assertEquals(Duration.ofMinutes(2), SlidingWindow.parse("10m/4m", "w").pane());
    }

    @Test
    void badTextIsNamedWithTheOption() {
        assertMessage("1m/2m", "must not be longer than the window size");
        assertMessage("1h/1m/1s", "windows: cannot parse '1h/1m/1s'");
        assertMessage("soon", "windows: cannot parse duration 'soon'");
        assertMessage("0s", "windows: duration must be positive");
        assertMessage("", "windows: a window is required");
    }

    private static void assertMessage(String text, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> SlidingWindow.parse(text, "windows"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
