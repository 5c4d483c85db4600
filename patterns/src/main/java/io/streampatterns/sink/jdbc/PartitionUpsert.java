package io.streampatterns.sink.jdbc;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upserts one partition in one transaction: rows go in JDBC batches of {@code batchSize} through one prepared
 * statement. With {@code reWriteBatchedInserts} the driver sends a batch as one multi-row INSERT, and
 * PostgreSQL refuses an {@code ON CONFLICT DO UPDATE} that touches a row twice, so each JDBC batch holds each
 * key once (a later row of the same key replaces an earlier one in the pending batch).
 */
final class PartitionUpsert implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;

    private final JdbcTarget target;
    private final String sql;
    private final int[] keyIndexes;
    private final LongAccumulator rowsWritten;

    PartitionUpsert(JdbcTarget target, String sql, int[] keyIndexes, LongAccumulator rowsWritten) {
        this.target = target;
        this.sql = sql;
        this.keyIndexes = keyIndexes;
        this.rowsWritten = rowsWritten;
    }

    @Override
    public void call(Iterator<Row> rows) throws SQLException {
        if (!rows.hasNext()) {
            return;
        }
        long written = 0;
        // Closing without commit (on any failure) rolls the partition's transaction back.
        try (Connection c = target.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            Map<List<Object>, Row> pending = new LinkedHashMap<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                pending.put(key(row), row);
                if (pending.size() == target.batchSize()) {
                    written += flush(ps, pending);
                }
            }
            written += flush(ps, pending);
            c.commit();
        }
        rowsWritten.add(written);
    }

    private List<Object> key(Row row) {
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int i : keyIndexes) {
            key.add(row.get(i));
        }
        return key;
    }

    private static int flush(PreparedStatement ps, Map<List<Object>, Row> pending) throws SQLException {
        if (pending.isEmpty()) {
            return 0;
        }
        for (Row row : pending.values()) {
            PgSql.bindRow(ps, row);
            ps.addBatch();
        }
        ps.executeBatch();
        int n = pending.size();
        pending.clear();
        return n;
    }
}
