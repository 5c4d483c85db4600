package io.streampatterns.input;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache combined log format, optionally followed by the response time in microseconds ({@code %D}). Fields it
 * fills (whichever the schema declares, by name, case-insensitive): client, ident, auth, ts, request, method, path,
 * protocol, status, bytes, referrer, agent, response_us. A field of {@code -} or empty is null. Reason: "not in
 * Apache combined log format". One regular-expression match per line (not one per field).
 */
public final class ApacheLogParser implements RecordParser {
    private static final long serialVersionUID = 1L;
    static final String NOT_APACHE = "not in Apache combined log format";
    // quoted texts are matched possessively ((?:[^"\\]++|\\.)*+): a plain (?:a|b)* recurses once per character in
    // java.util.regex, and a line with a 100 KB quoted field overflowed the stack, which kills a Spark executor
    // (found by InputFuzzTest)
    private static final Pattern LINE = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]++|\\\\.)*+)\" "
            + "(\\d{3}) (\\S+)(?: \"((?:[^\"\\\\]++|\\\\.)*+)\" \"((?:[^\"\\\\]++|\\\\.)*+)\")?(?: (\\d+))?\\s*$");
    private static final Pattern REQUEST = Pattern.compile("^(\\S+) (\\S+)(?: (\\S+))?$");
    /** The fields of {@link #LINE}'s groups 1 to 10, in group order. */
    private static final List<String> IN_LINE = List.of("client", "ident", "auth", "ts", "request", "status", "bytes",
            "referrer", "agent", "response_us");
    private static final int REQUEST_GROUP = 5;
    /** The fields of {@link #REQUEST}'s groups 1 to 3. */
    private static final List<String> IN_REQUEST = List.of("method", "path", "protocol");

    private final List<String> fields;
    /** Per schema field: its group in {@link #LINE}, or 0. */
    private final int[] lineGroup;
    /** Per schema field: its group in {@link #REQUEST}, or 0. */
    private final int[] requestGroup;

    public ApacheLogParser(List<String> fields) {
        this.fields = List.copyOf(fields);
        lineGroup = new int[fields.size()];
        requestGroup = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i).toLowerCase(Locale.ROOT);
            lineGroup[i] = IN_LINE.indexOf(f) + 1;
            requestGroup[i] = IN_REQUEST.indexOf(f) + 1;
        }
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public String parse(byte[] bytes, int off, int len, String[] texts) {
        Arrays.fill(texts, null);
        Matcher m = LINE.matcher(new String(bytes, off, len, StandardCharsets.UTF_8));
        if (!m.matches()) {
            return NOT_APACHE;
        }
        Matcher request = null;
        boolean requestMatches = false;
        for (int i = 0; i < texts.length; i++) {
            String value = null;
            if (lineGroup[i] > 0) {
                value = m.group(lineGroup[i]);
            } else if (requestGroup[i] > 0) {
                if (request == null) {
                    request = REQUEST.matcher(m.group(REQUEST_GROUP));
                    requestMatches = request.matches();
                }
                value = requestMatches ? request.group(requestGroup[i]) : null;
            }
            texts[i] = value == null || value.isEmpty() || value.equals("-") ? null : value;
        }
        return null;
    }
}
