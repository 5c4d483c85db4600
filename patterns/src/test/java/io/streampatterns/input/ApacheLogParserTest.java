package io.streampatterns.input;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApacheLogParserTest {
    private static final List<String> FIELDS = List.of("client", "TS", "method", "path", "protocol", "status", "bytes",
            "referrer", "agent", "response_us", "unknown");

    private static String[] parse(String line) {
        ApacheLogParser p = new ApacheLogParser(FIELDS);
        String[] texts = new String[FIELDS.size()];
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertNull(p.parse(b, 0, b.length, texts), line);
        return texts;
    }

    @Test
    void combinedLineGivesEveryFieldByNameAndDashesAreNull() {
        assertArrayEquals(new String[] {"83.149.9.216", "17/May/2015:10:05:03 +0000", "GET", "/a.png", "HTTP/1.1", "200",
                        null, "http://x/", "Mozilla \\\"5.0\\\"", null, null},
                parse("83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a.png HTTP/1.1\" 200 - \"http://x/\" \"Mozilla \\\"5.0\\\"\""));
    }

    @Test
    void commonFormatWithResponseTimeAndARequestWithoutProtocol() {
        assertArrayEquals(new String[] {"1.2.3.4", "17/May/2015:10:05:04 +0000", "GET", "/", null, "304", "12", null, null,
                        "1234", null},
                parse("1.2.3.4 - - [17/May/2015:10:05:04 +0000] \"GET /\" 304 12 \"-\" \"\" 1234"));
    }

    @Test
    void aRequestThatIsNotMethodPathProtocolLeavesThoseFieldsNull() {
        String[] t = parse("1.2.3.4 - - [17/May/2015:10:05:04 +0000] \"garbage\" 400 0");
        assertNull(t[2]);
        assertNull(t[3]);
        assertEquals("400", t[5]);
    }

    @Test
    void otherLinesAreNotInTheFormat() {
        ApacheLogParser p = new ApacheLogParser(FIELDS);
        String[] texts = new String[FIELDS.size()];
        for (String line : List.of("hello world", "1.2.3.4 - - [17/May/2015] \"GET / HTTP/1.1\" 2000 5", "")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertEquals("not in Apache combined log format", p.parse(b, 0, b.length, texts), line);
        }
    }

    @Test
    void hugeQuotedFieldsAndLongRunsOfEscapesParseWithoutOverflowingTheStack() {
        String agent = "x".repeat(1_000_000) + "\\\"".repeat(100_000);
        String[] t = parse("1.2.3.4 - - [17/May/2015:10:05:04 +0000] \"GET /" + "a".repeat(200_000) + " HTTP/1.1\" 200 5 \"-\" \""
                + agent + "\"");
        assertEquals(agent, t[8]);
        assertEquals(200_001, t[3].length());
    }
}
