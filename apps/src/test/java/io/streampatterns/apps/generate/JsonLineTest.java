package io.streampatterns.apps.generate;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLineTest {
    @Test
    void writesFlatObjectWithEscapedStringsNullsFixedDecimalsAndIsoTimestamps() {
        String line = new JsonLine().begin()
                .str("id", "a\"b\\c")
                .str("campaign", null)
                .decimal2("amount", 12.5)
                .decimal2("cents", 0.05)
                .fixed("risk", 0.0123, 3)
                .decimal2("none", Double.NaN)
                .bool("ok", true)
                .num("n", -3)
                .ts("ts", Instant.parse("2024-05-01T10:00:00.123Z").toEpochMilli())
                .end();
        assertEquals("{\"id\":\"a\\\"b\\\\c\",\"campaign\":null,\"amount\":12.50,\"cents\":0.05,\"risk\":0.012,"
                + "\"none\":null,\"ok\":true,\"n\":-3,\"ts\":\"2024-05-01T10:00:00.123Z\"}", line);
    }

    @Test
    void timestampsMatchJavaTimeFormattingAcrossDaysYearsAndLeapDays() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        DateTimeFormatter apache = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
                .withZone(ZoneOffset.UTC);
        Timestamps timestamps = new Timestamps();
        SplittableRandom random = new SplittableRandom(1);
        long from = Instant.parse("2023-12-30T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            long t = random.nextLong(from, to);
            StringBuilder a = new StringBuilder();
            timestamps.appendIso(a, t);
            assertEquals(iso.format(Instant.ofEpochMilli(t)), a.toString());
            StringBuilder b = new StringBuilder();
            timestamps.appendApache(b, t);
            assertEquals(apache.format(Instant.ofEpochMilli(t)), b.toString());
        }
    }
}
