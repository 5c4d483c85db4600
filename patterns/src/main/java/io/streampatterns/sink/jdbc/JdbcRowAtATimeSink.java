package io.streampatterns.sink.jdbc;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * ANTI-PATTERN, kept only as the baseline of {@code bench}: one statement and one autocommit transaction per
 * row, no JDBC batching, no replay bookkeeping. It runs the same upsert as {@link JdbcUpsertSink}, so both
 * leave the same table and the benchmark measures batching alone. Do not use it in a pipeline.
 */
public final class JdbcRowAtATimeSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;

    private final JdbcTarget target;

    private JdbcRowAtATimeSink(JdbcTarget target) {
        this.target = target;
    }

    public static JdbcRowAtATimeSink of(JdbcTarget target) {
        return new JdbcRowAtATimeSink(target);
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws SQLException {
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            st.execute(PgSql.createTable(target.table(), batch.schema(), target.keyColumns()));
        }
        JdbcTarget t = target;
        String sql = PgSql.upsert(t.table(), batch.schema(), t.keyColumns());
        batch.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
            try (Connection c = t.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                while (rows.hasNext()) {
                    PgSql.bindRow(ps, rows.next());
                    ps.executeUpdate();
                }
            }
        });
    }
}
