package io.streampatterns.apps.generate;

/**
 * A tiny, fast writer of one flat JSON object per line (the generators' only JSON need). Reuse one instance:
 * {@code begin()}, then fields, then {@code end()} returns the line without its newline.
 */
final class JsonLine {
    private static final long[] POWERS = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private final StringBuilder sb = new StringBuilder(256);
    private final Timestamps timestamps = new Timestamps();

    JsonLine begin() {
        sb.setLength(0);
        sb.append('{');
        return this;
    }

    /** A string field; {@code null} writes JSON {@code null}. */
    JsonLine str(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonLine num(String key, long value) {
        key(key).append(value);
        return this;
    }

    /** A number with exactly two decimals (e.g. {@code 12.50}); {@code NaN} writes JSON {@code null}. */
    JsonLine decimal2(String key, double value) {
        return fixed(key, value, 2);
    }

    /** A number with exactly {@code decimals} (1 to 9) decimals; {@code NaN} writes JSON {@code null}. */
    JsonLine fixed(String key, double value, int decimals) {
        key(key);
        if (Double.isNaN(value)) {
            sb.append("null");
            return this;
        }
        long scale = POWERS[decimals];
        long units = Math.round(value * scale);
        if (units < 0) {
            sb.append('-');
            units = -units;
        }
        String frac = Long.toString(units % scale);
        sb.append(units / scale).append('.');
        for (int i = frac.length(); i < decimals; i++) {
            sb.append('0');
        }
        sb.append(frac);
        return this;
    }

    JsonLine bool(String key, boolean value) {
        key(key).append(value);
        return this;
    }

    /** An ISO-8601 UTC timestamp string with millis, e.g. {@code "2024-05-01T10:00:00.123Z"}. */
    JsonLine ts(String key, long epochMillis) {
        key(key).append('"');
        timestamps.appendIso(sb, epochMillis);
        sb.append('"');
        return this;
    }

    String end() {
        return sb.append('}').toString();
    }

    private StringBuilder key(String key) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        quote(key);
        return sb.append(':');
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
