package io.streampatterns.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded, reproducible mutations of valid records, for fuzzing the input path: each record is one line's bytes (never a
 * {@code \n}), made from a valid record by one to three of: truncation, random characters, invalid UTF-8, random byte
 * flips, a field's value of the wrong type, an enormous field, deep nesting, an extreme or malformed timestamp, a
 * repeated key, a blank line. The same seed gives the same records.
 */
public final class RecordFuzzer {
    private static final String[] TIMESTAMPS = {"9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "-290000-01-01T00:00:00Z",
        "99999999999999999999", "-9223372036854775808", "1e308", "2024-13-45T25:61:61Z", "", "null", "NaN",
        "2024-05-01", "01/May/2024:00:00:00 +9999", "\u0000"};
    private static final String[] VALUES = {"\"abc\"", "true", "[]", "{}", "-1", "1e400", "\"\"", "null", "0x1F", "\u00e9\u00e8"};

    private final Random random;
    private final List<String> valid;
    private final String timestamp;

    /**
     * Mutations of {@code valid} records (text lines, without {@code \n}) whose event time is written as
     * {@code timestamp} in each of them (replaced by extreme or malformed times).
     */
    public RecordFuzzer(long seed, List<String> valid, String timestamp) {
        this.random = new Random(seed);
        this.valid = List.copyOf(valid);
        this.timestamp = timestamp;
    }

    /** {@code n} records: about one in ten left valid, the others mutated. */
    public List<byte[]> records(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String base = valid.get(random.nextInt(valid.size()));
            byte[] record = base.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(10) != 0) {
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations; m++) {
                    record = mutate(record);
                }
            }
            out.add(withoutNewlines(record));
        }
        return out;
    }

    /** True if the reader skips this line (only spaces and tabs, after a trailing {@code \r}): not a record. */
    public static boolean isBlank(byte[] line) {
        int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        for (int i = 0; i < len; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The records as the bytes of one file, a {@code \n} after each. */
    public static byte[] file(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private byte[] mutate(byte[] r) {
        String s = new String(r, StandardCharsets.UTF_8);
        return switch (random.nextInt(10)) {
            case 0 -> java.util.Arrays.copyOf(r, r.length == 0 ? 0 : random.nextInt(r.length));
            case 1 -> utf8(insert(s, randomText(1 + random.nextInt(8))));
            case 2 -> insertBytes(r, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
            case 3 -> flipBytes(r);
            case 4 -> utf8(replaceValue(s, VALUES[random.nextInt(VALUES.length)]));
            case 5 -> utf8(insert(s, "x".repeat(100_000)));
            case 6 -> utf8(replaceValue(s, "[".repeat(2_000) + "]".repeat(2_000)));
            case 7 -> utf8(s.replace(timestamp, TIMESTAMPS[random.nextInt(TIMESTAMPS.length)]));
            case 8 -> utf8(repeatKey(s));
            default -> random.nextBoolean() ? new byte[0] : utf8(" \t ");
        };
    }

    private String insert(String s, String what) {
        int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
        return s.substring(0, at) + what + s.substring(at);
    }

    private byte[] insertBytes(byte[] r, byte[] what) {
        int at = r.length == 0 ? 0 : random.nextInt(r.length + 1);
        byte[] out = new byte[r.length + what.length];
        System.arraycopy(r, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(r, at, out, at + what.length, r.length - at);
        return out;
    }

    private byte[] flipBytes(byte[] r) {
        byte[] out = r.clone();
        for (int i = 0; i < 1 + random.nextInt(4) && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    /** Replaces the text between one ':' or ',' and the next ',' (a JSON value or a CSV field) with {@code value}. */
    private String replaceValue(String s, String value) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ':' || s.charAt(i) == ',') {
                cuts.add(i);
            }
        }
        if (cuts.isEmpty()) {
            return value;
        }
        int from = cuts.get(random.nextInt(cuts.size())) + 1;
        int to = s.indexOf(',', from);
        return s.substring(0, from) + value + (to < 0 ? "" : s.substring(to));
    }

    /** JSON: the time key again with another value (the last one counts); other formats: a field more. */
    private String repeatKey(String s) {
        if (s.startsWith("{") && s.length() > 1) {
            return "{\"ts\":\"" + TIMESTAMPS[random.nextInt(TIMESTAMPS.length)] + "\"," + s.substring(1);
        }
        return s + "," + s;
    }

    private String randomText(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            b.appendCodePoint(kind == 0 ? 32 + random.nextInt(95) : kind == 1 ? 0x80 + random.nextInt(0x700)
                    : kind == 2 ? 0x1F600 + random.nextInt(50) : "\"{}[],:\\\r\t".charAt(random.nextInt(10)));
        }
        return b.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withoutNewlines(byte[] r) {
        byte[] out = r.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\n') {
                out[i] = ' ';
            }
        }
        return out;
    }
}
