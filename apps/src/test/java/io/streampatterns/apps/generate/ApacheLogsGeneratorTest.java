package io.streampatterns.apps.generate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApacheLogsGeneratorTest {
    static final int EVENTS = 100_000;
    /** Combined log format: host ident user [time] "request" status size "referer" "agent". */
    static final String COMBINED = "(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+) (HTTP/1\\.[01])\" (\\d{3}) (\\d+|-)"
            + " \"([^\"]*)\" \"([^\"]*)\"";
    static final Pattern WITH_RESPONSE_TIME = Pattern.compile(COMBINED + " (\\d+)");
    static final DateTimeFormatter APACHE_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    static List<Matcher> lines = new ArrayList<>();

    @BeforeAll
    static void generate() {
        for (String line : MemorySink.generate(Dataset.APACHE_LOGS, GeneratorOptions.seed(9), EVENTS).lines) {
            Matcher m = WITH_RESPONSE_TIME.matcher(line);
            assertTrue(m.matches(), () -> "not combined format + %D: " + line);
            lines.add(m);
        }
    }

    @Test
    void everyLineIsCombinedFormatWithTheResponseTimeInMicroseconds() {
        assertEquals(EVENTS, lines.size());
        for (Matcher m : lines) {
            ZonedDateTime t = ZonedDateTime.parse(m.group(4), APACHE_TIME);
            assertEquals(2024, t.getYear());
            assertTrue(Long.parseLong(m.group(12)) > 0);
            String status = m.group(8);
            if (status.equals("304") || m.group(5).equals("HEAD")) {
                assertEquals("-", m.group(9), m::group);
            }
        }
        assertEquals("01/May/2024:00:00:00 +0000", lines.get(0).group(4));
    }

    @Test
    void statusesAreMostly2xxWithSome3xxAnd4xxAndFew5xxThatComeInBursts() {
        Map<Character, Integer> byClass = new HashMap<>();
        List<ZonedDateTime> serverErrors = new ArrayList<>();
        int dashSizes = 0;
        for (Matcher m : lines) {
            byClass.merge(m.group(8).charAt(0), 1, Integer::sum);
            if (m.group(8).startsWith("5")) {
                serverErrors.add(ZonedDateTime.parse(m.group(4), APACHE_TIME));
            }
            dashSizes += m.group(9).equals("-") ? 1 : 0;
        }
        assertTrue(byClass.get('2') > EVENTS * 0.8, "2xx: " + byClass);
        assertTrue(byClass.get('3') > EVENTS * 0.02 && byClass.get('3') < EVENTS * 0.15, "3xx: " + byClass);
        assertTrue(byClass.get('4') > EVENTS * 0.005 && byClass.get('4') < EVENTS * 0.05, "4xx: " + byClass);
        assertTrue(byClass.get('5') > 50 && byClass.get('5') < EVENTS * 0.03, "5xx: " + byClass);
        assertTrue(dashSizes > EVENTS * 0.01, "'-' sizes: " + dashSizes);
        int clustered = 0;
        for (int i = 1; i < serverErrors.size(); i++) {
            clustered += serverErrors.get(i).isBefore(serverErrors.get(i - 1).plusSeconds(60)) ? 1 : 0;
        }
        assertTrue(clustered > serverErrors.size() * 0.8, "5xx within a minute of the previous one: " + clustered
                + " of " + serverErrors.size());
    }

    @Test
    void theRealSampleLogIsOnTheClasspathAndMostlyMatchesTheCombinedFormat() throws IOException {
        List<String> real = Files.readAllLines(SampleData.apacheLogs(), StandardCharsets.UTF_8);
        assertEquals(10_000, real.size());
        assertTrue(real.get(0).startsWith("83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /presentations/"));
        Pattern combined = Pattern.compile(COMBINED);
        long matching = real.stream().filter(l -> combined.matcher(l).matches()).count();
        assertTrue(matching > 9_900, "real lines in combined format: " + matching);
    }
}
