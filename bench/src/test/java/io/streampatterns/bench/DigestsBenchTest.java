package io.streampatterns.bench;

import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Digests of results: the exact sum of the rows' hashes, whatever the order or the split into parts. */
class DigestsBenchTest {
    private final SparkSession spark = TestSpark.get();

    private Dataset<Row> rows(long from, long to) {
        return spark.range(from, to).selectExpr("concat('u', id % 7) AS user", "id * 1.5 AS amount");
    }

    @Test
    void digestIsTheRowCountAndTheExactSumOfTheRowHashes() {
        Dataset<Row> rows = rows(0, 1_000);
        BigDecimal expected = BigDecimal.ZERO;
        for (Row r : rows.select(xxhash64(col("user"), col("amount"))).collectAsList()) {
            expected = expected.add(BigDecimal.valueOf(r.getLong(0)));
        }
        assertEquals("1000 rows, hash " + expected.toPlainString(), Digests.of(rows, "user", "amount"));
    }

    @Test
    void partsAddUpToTheWholeInAnyOrderAndAnyChangedRowChangesIt() {
        String whole = Digests.of(rows(0, 1_000).orderBy(col("amount").desc()), "user", "amount");
        Digests.Sum parts = new Digests.Sum().add(rows(600, 1_000), col("user"), col("amount"))
                .add(rows(0, 0), col("user"), col("amount"))
                .add(rows(0, 600), col("user"), col("amount"));
        assertEquals(whole, parts.digest());
        assertEquals(1_000, parts.rows());
        assertNotEquals(whole, Digests.of(rows(0, 999).union(rows(1_000, 1_001)), "user", "amount"));
        assertEquals("0 rows, hash 0", new Digests.Sum().add(rows(0, 0), col("user")).digest());
    }
}
