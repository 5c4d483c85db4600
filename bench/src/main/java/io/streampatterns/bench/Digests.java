package io.streampatterns.bench;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
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
        private static final long LOW_32_BITS = 0xFFFFFFFFL;
        private static final BigDecimal TWO_TO_32 = BigDecimal.valueOf(1L << 32);

        private long rows;
        private BigDecimal hash = BigDecimal.ZERO;

        /**
         * Adds the rows of {@code part} over {@code columns} (the same columns, in the same order, for every part). The
         * hashes are summed as their high and low 32 bits in two long sums, exact up to 2^31 rows and much cheaper
         * than a decimal sum (a sink that digests tens of millions of window rows pays it in the measured time).
         */
        public synchronized Sum add(Dataset<Row> part, Column... columns) {
            Column h = col("h");
            Row r = part.select(xxhash64(columns).as("h"))
                    .agg(count(lit(1)), sum(shiftright(h, 32)), sum(h.bitwiseAND(lit(LOW_32_BITS)))).first();
            rows += r.getLong(0);
            if (!r.isNullAt(1)) {
                hash = hash.add(BigDecimal.valueOf(r.getLong(1)).multiply(TWO_TO_32)).add(BigDecimal.valueOf(r.getLong(2)));
            }
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
