package io.streampatterns.bench;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Content digests of results, so that the sides of a benchmark are compared by what they computed, not by row
 * counts: the number of rows and the sum of a 64-bit hash of each row (order-independent, exact in a 38-digit
 * decimal, so that two results agree only when they hold the same multiset of rows, up to hash collisions).
 */
public final class Digests {
    private Digests() {
    }

    /** The digest of {@code rows} over {@code columns} (expressions: round floating-point ones first). */
    public static String of(Dataset<Row> rows, Column... columns) {
        Row r = rows.select(xxhash64(columns).cast("decimal(38,0)").as("h"))
                .agg(count(lit(1)), sum(col("h"))).first();
        return r.getLong(0) + " rows, hash " + (r.isNullAt(1) ? "0" : r.getDecimal(1).toPlainString());
    }

    /** The digest of {@code rows} over the named columns. */
    public static String of(Dataset<Row> rows, String... columns) {
        Column[] c = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            c[i] = col(columns[i]);
        }
        return of(rows, c);
    }
}
