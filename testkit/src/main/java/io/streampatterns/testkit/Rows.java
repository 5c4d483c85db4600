package io.streampatterns.testkit;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Small helpers to write rows and times in scenario tests. */
public final class Rows {
    private Rows() {
    }

    public static Row row(Object... values) {
        return RowFactory.create(values);
    }

    /** A timestamp from an ISO instant ({@code 2024-05-01T10:00:00Z}) or a time of day on 2024-05-01 UTC ({@code 10:00}, {@code 10:00:30}). */
    public static Timestamp ts(String text) {
        if (text.length() <= 8) {
            String t = text.length() == 5 ? text + ":00" : text;
            return Timestamp.from(Instant.parse("2024-05-01T" + t + "Z"));
        }
        return Timestamp.from(Instant.parse(text));
    }

    /** Rows printed as strings and sorted, for order-insensitive comparison of emitted rows. */
    public static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    /** Rows sorted by their string form. */
    public static List<Row> sortedRows(List<Row> rows) {
        List<Row> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Row::toString));
        return copy;
    }
}
