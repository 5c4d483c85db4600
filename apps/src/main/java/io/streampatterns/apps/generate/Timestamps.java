package io.streampatterns.apps.generate;

import java.time.LocalDate;

/**
 * Fast UTC timestamp text for millions of events: ISO-8601 with millis ({@code 2024-05-01T10:00:00.123Z}) and
 * the Apache access-log form ({@code 01/May/2024:10:00:00 +0000}). The date part is cached per day.
 */
final class Timestamps {
    private static final long DAY = 86_400_000L;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private long isoDay = Long.MIN_VALUE;
    private String isoPrefix;
    private long apacheDay = Long.MIN_VALUE;
    private String apachePrefix;

    /** Appends {@code millis} since the epoch as ISO-8601 UTC with millis. */
    void appendIso(StringBuilder sb, long millis) {
        long day = Math.floorDiv(millis, DAY);
        if (day != isoDay) {
            isoDay = day;
            isoPrefix = LocalDate.ofEpochDay(day) + "T";
        }
        sb.append(isoPrefix);
        appendTime(sb, Math.floorMod(millis, DAY) / 1000);
        int ms = (int) Math.floorMod(millis, 1000L);
        sb.append('.').append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        sb.append('Z');
    }

    /** Appends {@code millis} as Apache's {@code %t} without brackets, at second precision. */
    void appendApache(StringBuilder sb, long millis) {
        long day = Math.floorDiv(millis, DAY);
        if (day != apacheDay) {
            apacheDay = day;
            LocalDate d = LocalDate.ofEpochDay(day);
            apachePrefix = two(d.getDayOfMonth()) + "/" + MONTHS[d.getMonthValue() - 1]
                    + "/" + d.getYear() + ":";
        }
        sb.append(apachePrefix);
        appendTime(sb, Math.floorMod(millis, DAY) / 1000);
        sb.append(" +0000");
    }

    private static void appendTime(StringBuilder sb, long secondOfDay) {
        int h = (int) (secondOfDay / 3600);
        int m = (int) (secondOfDay / 60 % 60);
        int s = (int) (secondOfDay % 60);
        sb.append(two(h)).append(':').append(two(m)).append(':').append(two(s));
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
