package io.streampatterns.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {
    @Test
    void parsesShortForms() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s", "--gap"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m", "--gap"));
        assertEquals(Duration.ofHours(4), Durations.parse("4h", "--gap"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d", "--gap"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "--gap"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M", "--gap"));
    }

    @Test
    void rejectsGarbageWithOptionName() {
        ConfigException e = assertThrows(ConfigException.class, () -> Durations.parse("ten minutes", "--gap"));
        assertEquals("--gap: cannot parse duration 'ten minutes' (use e.g. 500ms, 30s, 10m, 4h, 1d)", e.getMessage());
        assertThrows(ConfigException.class, () -> Durations.parsePositive("0s", "--gap"));
    }

    @Test
    void formatsRoundTrip() {
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("10m", Durations.format(Duration.ofMinutes(10)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }
}
