package io.streampatterns.bench.ingest;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Timing;
import io.streampatterns.sink.jdbc.JdbcRowAtATimeSink;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import io.streampatterns.testkit.PostgresServer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;

/**
 * {@code jdbc-sink}: our batched, idempotent upsert into PostgreSQL versus row-at-a-time inserts (one statement and
 * one commit per row), on a real PostgreSQL server started for the run. Agreement: both leave the same table content
 * for the same rows (compared with an EXCEPT query both ways).
 */
public final class JdbcSinkBench implements Benchmark {
    @Override
    public String name() {
        return "jdbc-sink";
    }

    @Override
    public String description() {
        return "batched idempotent JDBC upsert vs row-at-a-time inserts into PostgreSQL";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        SparkSession spark = ctx.spark();
        PostgresServer pg = PostgresServer.shared();
        long rows = ctx.events(500_000, 100_000);
        long naiveRows = ctx.events(20_000, 5_000);
        Dataset<Row> data = events(spark, rows).cache();
        data.count();
        Dataset<Row> naiveData = data.limit((int) naiveRows).cache();
        naiveData.count();
        JdbcTarget ours = target(pg, "bench_upsert");
        JdbcTarget naive = target(pg, "bench_row_at_a_time");
        JdbcTarget oursSame = target(pg, "bench_upsert_same");

        double oursSeconds = Timing.seconds(() -> {
            JdbcUpsertSink.of(ours, "bench-" + System.nanoTime()).write(data, 0);
            return null;
        });
        JdbcUpsertSink.of(oursSame, "bench-same-" + System.nanoTime()).write(naiveData, 0);
        double naiveSeconds = Timing.seconds(() -> {
            JdbcRowAtATimeSink.of(naive).call(naiveData, 0L);
            return null;
        });
        boolean agree = count(pg, "SELECT count(*) FROM bench_upsert") == rows
                && count(pg, "SELECT count(*) FROM (SELECT * FROM bench_upsert_same EXCEPT SELECT * FROM bench_row_at_a_time) d") == 0
                && count(pg, "SELECT count(*) FROM (SELECT * FROM bench_row_at_a_time EXCEPT SELECT * FROM bench_upsert_same) d") == 0
                && count(pg, "SELECT count(*) FROM bench_row_at_a_time") == naiveRows;
        data.unpersist();
        naiveData.unpersist();
        return BenchResult.of(name(), Timing.eps(rows, oursSeconds), Timing.eps(naiveRows, naiveSeconds), agree)
                .with("rows", rows)
                .with("baseline_rows", naiveRows);
    }

    private static Dataset<Row> events(SparkSession spark, long n) {
        return spark.range(n).selectExpr("concat('e', id) AS event_id", "concat('u', id % 5000) AS user_id",
                "timestamp_millis(1714521600000 + id * 37) AS ts", "CASE WHEN id % 3 = 0 THEN 'click' ELSE 'page_view' END AS type",
                "round(id % 1000 / 7.0, 2) AS amount");
    }

    private static JdbcTarget target(PostgresServer pg, String table) throws Exception {
        try (Connection c = pg.connection()) {
            c.createStatement().execute("DROP TABLE IF EXISTS " + table);
        }
        return JdbcTarget.of(pg.jdbcUrl(), table, "event_id").withUser(pg.user()).withPassword(pg.password());
    }

    private static long count(PostgresServer pg, String sql) throws Exception {
        try (Connection c = pg.connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
