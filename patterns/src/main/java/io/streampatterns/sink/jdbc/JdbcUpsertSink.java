package io.streampatterns.sink.jdbc;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warehouse sink pattern: a {@code foreachBatch} function that upserts each micro-batch into a PostgreSQL
 * table, exactly once per batch id.
 *
 * <pre>{@code
 * JdbcUpsertSink sink = JdbcUpsertSink.of(JdbcTarget.of(url, "events", "event_id").withUser("etl"), "events-v1");
 * df.writeStream().foreachBatch(sink).option("checkpointLocation", ckpt).start();
 * }</pre>
 *
 * <ul>
 *   <li>Creates the table from the batch schema if missing (timestamp as timestamptz, primary key on the keys).</li>
 *   <li>Repartitions the batch by key, so one key is written by one task only (no lock waits or deadlocks
 *       between tasks), then writes every partition in one transaction with one parameterised
 *       {@code INSERT ... ON CONFLICT (keys) DO UPDATE} statement in JDBC batches.</li>
 *   <li>{@code foreachBatch} is at-least-once: a batch id already recorded in {@code streampatterns_sink_batches} for
 *       this sink id is skipped. A crash after the write and before the record replays the batch, which the
 *       keyed upsert makes harmless (same keys, same values, no duplicates).</li>
 *   <li>Rows of one key within a batch: one of them wins (which one is not defined; deduplicate upstream,
 *       e.g. the latest by event time, when it matters). They never make the statement fail.</li>
 * </ul>
 *
 * <p>The sink id names one query's output: use a new one when the query restarts from a new checkpoint (batch ids
 * start again at 0). One sink instance per query; its counters are for this JVM's driver.</p>
 */
public final class JdbcUpsertSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;

    /** How long a database outage is waited out before the batch, and so the query, fails. */
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofMinutes(2);

    private final JdbcTarget target;
    private final String sinkId;
    private final Duration outageLimit;
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batchesSkipped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    private JdbcUpsertSink(JdbcTarget target, String sinkId, Duration outageLimit) {
        this.target = target;
        this.sinkId = sinkId;
        this.outageLimit = outageLimit;
    }

    public static JdbcUpsertSink of(JdbcTarget target, String sinkId) {
        ConfigException.check(target != null, "JDBC sink: a target is required");
        ConfigException.check(sinkId != null && !sinkId.isBlank(), "JDBC sink: a sink id is required");
        return new JdbcUpsertSink(target, sinkId, DEFAULT_OUTAGE_LIMIT);
    }

    /**
     * This sink, waiting out a lost or refused connection for up to {@code limit} (retrying the whole batch, which is
     * idempotent) before it fails the batch with one line; zero fails at once.
     */
    public JdbcUpsertSink withOutageLimit(Duration limit) {
        ConfigException.check(limit != null && !limit.isNegative(), "JDBC sink: outage limit must be zero or positive");
        return new JdbcUpsertSink(target, sinkId, limit);
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        write(batch, batchId);
    }

    /**
     * Upserts {@code batch} unless {@code batchId} was already written by this sink id; a database outage is waited
     * out (up to the outage limit) and the batch written again from its start.
     */
    public void write(Dataset<Row> batch, long batchId) {
        Outage outage = new Outage(outageLimit);
        while (true) {
            try {
                attempt(batch, batchId);
                return;
            } catch (RuntimeException e) {
                if (!Outage.isConnectionLoss(e)) {
                    throw e;
                }
                if (!outage.pauseBeforeRetry()) {
                    throw new IllegalStateException("JDBC sink " + sinkId + ": " + target.address() + " still unreachable after "
                            + Durations.format(outageLimit) + "; batch " + batchId + " is not recorded and is written"
                            + " again when the query restarts", e);
                }
                retries.incrementAndGet();
            }
        }
    }

    private void attempt(Dataset<Row> batch, long batchId) {
        StructType schema = batch.schema();
        String upsert = PgSql.upsert(target.table(), schema, target.keyColumns());
        try (Connection c = target.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute(PgSql.createTable(target.table(), schema, target.keyColumns()));
                st.execute(PgSql.createBatchesTable());
            }
            if (isRecorded(c, batchId)) {
                batchesSkipped.incrementAndGet();
                return;
            }
            LongAccumulator rows = batch.sparkSession().sparkContext().longAccumulator("jdbc sink " + sinkId);
            int[] keyIndexes = target.keyColumns().stream().mapToInt(schema::fieldIndex).toArray();
            Column[] keys = target.keyColumns().stream().map(batch::col).toArray(Column[]::new);
            batch.repartition(keys).foreachPartition(new PartitionUpsert(target, upsert, keyIndexes, rows));
            record(c, batchId, rows.value());
            rowsWritten.addAndGet(rows.value());
        } catch (SQLException e) {
            throw new IllegalStateException("JDBC sink " + sinkId + ": batch " + batchId + " failed: " + e.getMessage(), e);
        }
    }

    /** Rows upserted by this sink instance (after collapsing same-key rows within a JDBC batch). */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Attempts that started a batch over after a lost connection. */
    public long retries() {
        return retries.get();
    }

    /** Batches skipped because their batch id was already recorded (replays). */
    public long batchesSkipped() {
        return batchesSkipped.get();
    }

    private boolean isRecorded(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + PgSql.quote(PgSql.BATCHES_TABLE)
                + " WHERE sink_id = ? AND batch_id = ?")) {
            ps.setString(1, sinkId);
            ps.setLong(2, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void record(Connection c, long batchId, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PgSql.quote(PgSql.BATCHES_TABLE)
                + " (sink_id, batch_id, \"rows\", committed_at) VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING")) {
            ps.setString(1, sinkId);
            ps.setLong(2, batchId);
            ps.setLong(3, rows);
            ps.executeUpdate();
        }
    }
}
