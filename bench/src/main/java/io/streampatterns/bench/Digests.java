package io.streampatterns.bench;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;

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
        return new Sum().add(rows, columns).digest();
    }

    /** The digest of {@code rows} over the named columns. */
    public static String of(Dataset<Row> rows, String... columns) {
        Column[] c = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            c[i] = col(columns[i]);
        }
        return of(rows, c);
    }

    /**
     * A digest added up over parts of a result, e.g. the micro-batches of a stream whose output is too large to keep
     * (tens of millions of window rows): count and hash sum are additive, so the digest of the parts equals
     * {@link Digests#of} over all their rows together.
     */
    public static final class Sum {
        private long rows;
        private BigDecimal hash = BigDecimal.ZERO;

        /** Adds the rows of {@code part} over {@code columns} (the same columns, in the same order, for every part). */
        public synchronized Sum add(Dataset<Row> part, Column... columns) {
            Row r = part.select(xxhash64(columns).cast("decimal(38,0)").as("h")).agg(count(lit(1)), sum(col("h"))).first();
            rows += r.getLong(0);
            hash = r.isNullAt(1) ? hash : hash.add(r.getDecimal(1));
            return this;
        }

        /** The digest of all rows added so far: {@code N rows, hash H}. */
        public synchronized String digest() {
            return rows + " rows, hash " + hash.toPlainString();
        }

        /** Rows added so far. */
        public synchronized long rows() {
            return rows;
        }
    }
}
