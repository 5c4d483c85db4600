package io.streampatterns.bench.ingest;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.sink.jdbc.JdbcRowAtATimeSink;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import io.streampatterns.testkit.PostgresServer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jdbc-sink}: our batched, idempotent upsert into PostgreSQL versus row-at-a-time inserts (one statement and
 * one commit per row), on a real PostgreSQL server started for the run. Row-at-a-time is slow, so it writes only the
 * first {@code baseline_rows} rows (ids 0 to n-1) where ours writes them all; each repetition writes into a fresh
 * table. Agreement by content: a checksum computed by PostgreSQL over the rows with the baseline's ids (count and sum
 * of a hash of each row's text) is the same in both tables, and ours' table holds all of its rows.
 */
public final class JdbcSinkBench implements Benchmark {
    private static final String OURS_TABLE = "bench_upsert";
    private static final String BASELINE_TABLE = "bench_row_at_a_time";

    @Override
    public String name() {
        return "jdbc-sink";
    }

    @Override
    public String description() {
        return "batched idempotent JDBC upsert vs row-at-a-time inserts into PostgreSQL";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        SparkSession spark = ctx.spark();
        PostgresServer pg = PostgresServer.shared();
        long rows = ctx.events(500_000, 100_000);
        long naiveRows = ctx.events(20_000, 5_000);
        Side ours = Side.of("ours", rep -> upsert(pg, spark, rows, OURS_TABLE, naiveRows));
        Side naive = Side.of("row-at-a-time", rep -> rowAtATime(pg, spark, naiveRows, BASELINE_TABLE, naiveRows));
        return Plan.of(ours, naive).warmUp(() -> {
            upsert(pg, spark, 5_000, OURS_TABLE, 500);
            rowAtATime(pg, spark, 500, BASELINE_TABLE, 500);
        }).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("rows", rows);
            f.put("baseline_rows", naiveRows);
            return f;
        });
    }

    private static Measured upsert(PostgresServer pg, SparkSession spark, long rows, String table, long compared)
            throws Exception {
        JdbcTarget target = freshTable(pg, table);
        JdbcUpsertSink sink = JdbcUpsertSink.of(target, "bench-" + System.nanoTime());
        Dataset<Row> data = events(spark, rows);
        return written(pg, table, rows, compared, Measured.of(rows, () -> {
            sink.write(data, 0);
            return null;
        }));
    }

    private static Measured rowAtATime(PostgresServer pg, SparkSession spark, long rows, String table, long compared)
            throws Exception {
        JdbcTarget target = freshTable(pg, table);
        Dataset<Row> data = events(spark, rows);
        return written(pg, table, rows, compared, Measured.of(rows, () -> {
            JdbcRowAtATimeSink.of(target).call(data, 0L);
            return null;
        }));
    }

    /** {@code m} with the digest of the table's rows of ids below {@code compared}, and a note when rows are missing. */
    private static Measured written(PostgresServer pg, String table, long rows, long compared, Measured m) throws SQLException {
        long inTable = Long.parseLong(pg.rows("SELECT count(*) FROM " + table).get(0));
        String[] d = pg.rows("SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM " + table
                + " t WHERE substr(event_id, 2)::bigint < " + compared).get(0).split("\\|");
        String digest = d[0] + " rows, hash " + d[1] + (inTable == rows ? "" : "; table holds " + inTable + " of " + rows + " rows");
        return m.digest(digest).with("rows_in_table", inTable);
    }

    /** The rows written: ids 0 to n-1, so that the first rows of a larger set are the rows of a smaller one. */
    private static Dataset<Row> events(SparkSession spark, long n) {
        return spark.range(n).selectExpr("concat('e', id) AS event_id", "concat('u', id % 5000) AS user_id",
                "timestamp_millis(1714521600000 + id * 37) AS ts", "CASE WHEN id % 3 = 0 THEN 'click' ELSE 'page_view' END AS type",
                "round(id % 1000 / 7.0, 2) AS amount");
    }

    private static JdbcTarget freshTable(PostgresServer pg, String table) throws SQLException {
        try (Connection c = pg.connection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
        return JdbcTarget.of(pg.jdbcUrl(), table, "event_id").withUser(pg.user()).withPassword(pg.password());
    }
}
