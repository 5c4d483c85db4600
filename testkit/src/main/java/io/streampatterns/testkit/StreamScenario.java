package io.streampatterns.testkit;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A deterministic, scripted streaming test: rows with explicit event times go into a {@link MemoryStream}
 * one micro-batch at a time, the pipeline under test runs, and every step reports exactly what was emitted,
 * how many rows the state holds, how many rows were dropped as late and where the watermark stands.
 *
 * <pre>{@code
 * try (StreamScenario s = StreamScenario.of(spark, schema, df -> MyApp.build(spark, df, opts)).mode("append").start()) {
 *     Step first = s.send(row("u1", ts("10:00")), row("u1", ts("10:05")));
 *     assertEquals(List.of(), first.rows());
 *     Step second = s.send(row("u1", ts("11:00")));          // moves the watermark past the first session
 *     assertEquals(1, second.rows().size());
 *     s.restart();                                          // stop, start again from the same checkpoint
 * }
 * }</pre>
 *
 * <p>A step runs the data batch and any no-data batch Spark adds to move the watermark, so
 * {@link Step#rows()} is everything the sink received because of that step. Replayed batches (after a restart)
 * replace their earlier output, as an idempotent sink would.</p>
 */
public final class StreamScenario implements AutoCloseable {
    private static final Map<String, TreeMap<Long, List<Row>>> SINKS = new ConcurrentHashMap<>();

    private final SparkSession spark;
    private final StructType schema;
    private final UnaryOperator<Dataset<Row>> pipeline;
    private final String sinkId = UUID.randomUUID().toString();
    private String outputMode = "append";
    private Path checkpoint;
    private MemoryStream<Row> source;
    private StreamingQuery query;
    private long lastSeenBatch = -1;

    private StreamScenario(SparkSession spark, StructType schema, UnaryOperator<Dataset<Row>> pipeline) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /** A scenario feeding rows of {@code schema} through {@code pipeline}. Call {@link #start()} to run it. */
    public static StreamScenario of(SparkSession spark, StructType schema, UnaryOperator<Dataset<Row>> pipeline) {
        return new StreamScenario(spark, schema, pipeline);
    }

    /** Output mode of the sink: {@code append} (default), {@code update} or {@code complete}. */
    public StreamScenario mode(String outputMode) {
        this.outputMode = outputMode;
        return this;
    }

    /** Checkpoint directory (default: a fresh temporary directory). */
    public StreamScenario checkpoint(Path dir) {
        this.checkpoint = dir;
        return this;
    }

    public StreamScenario start() {
        if (source == null) {
            source = MemoryStream.apply(spark, Encoders.row(schema));
        }
        if (checkpoint == null) {
            try {
                checkpoint = Files.createTempDirectory("scenario-ckpt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SINKS.putIfAbsent(sinkId, new TreeMap<>());
        String id = sinkId;
        VoidFunction2<Dataset<Row>, Long> capture = (batch, batchId) -> {
            List<Row> rows = batch.collectAsList();
            synchronized (SINKS) {
                SINKS.get(id).put(batchId, new ArrayList<>(rows));
            }
        };
        try {
            query = pipeline.apply(source.toDF()).writeStream()
                    .outputMode(outputMode)
                    .option("checkpointLocation", checkpoint.toString())
                    .foreachBatch(capture)
                    .start();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Adds {@code rows} as one micro-batch and runs until the query is idle. */
    public Step send(Row... rows) {
        return send(Arrays.asList(rows));
    }

    public Step send(List<Row> rows) {
        requireRunning();
        source.addData(CollectionConverters.asScala(rows));
        return runUntilIdle();
    }

    /** Runs until idle without new data (e.g. after a restart); returns what that emitted. */
    public Step runUntilIdle() {
        requireRunning();
        query.processAllAvailable();
        List<StreamingQueryProgress> progress = new ArrayList<>();
        for (StreamingQueryProgress p : query.recentProgress()) {
            if (p.batchId() > lastSeenBatch) {
                progress.add(p);
            }
        }
        List<Row> emitted = new ArrayList<>();
        List<List<Row>> perBatch = new ArrayList<>();
        synchronized (SINKS) {
            for (Map.Entry<Long, List<Row>> e : SINKS.get(sinkId).tailMap(lastSeenBatch, false).entrySet()) {
                emitted.addAll(e.getValue());
                perBatch.add(e.getValue());
            }
        }
        StreamingQueryProgress last = query.lastProgress();
        if (last != null) {
            lastSeenBatch = Math.max(lastSeenBatch, last.batchId());
        }
        return new Step(emitted, perBatch, progress, last);
    }

    /** Stops the query and starts it again from the same checkpoint and the same source. */
    public StreamScenario restart() {
        stop();
        return start();
    }

    /** Stops the query (the checkpoint stays). */
    public void stop() {
        if (query != null) {
            try {
                query.stop();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
            query = null;
        }
    }

    /** All rows the sink holds, by batch order. */
    public List<Row> allRows() {
        List<Row> all = new ArrayList<>();
        synchronized (SINKS) {
            SINKS.get(sinkId).values().forEach(all::addAll);
        }
        return all;
    }

    public StreamingQuery query() {
        return query;
    }

    public Path checkpointDir() {
        return checkpoint;
    }

    @Override
    public void close() {
        stop();
        SINKS.remove(sinkId);
    }

    private void requireRunning() {
        if (query == null) {
            throw new IllegalStateException("scenario not started");
        }
        if (query.exception().isDefined()) {
            StreamingQueryException e = query.exception().get();
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /** What one step did. */
    public static final class Step {
        private final List<Row> rows;
        private final List<List<Row>> batches;
        private final List<StreamingQueryProgress> progress;
        private final StreamingQueryProgress last;

        Step(List<Row> rows, List<List<Row>> batches, List<StreamingQueryProgress> progress, StreamingQueryProgress last) {
            this.rows = Collections.unmodifiableList(rows);
            this.batches = Collections.unmodifiableList(batches);
            this.progress = Collections.unmodifiableList(progress);
            this.last = last;
        }

        /** Rows the sink received in this step (all its micro-batches). */
        public List<Row> rows() {
            return rows;
        }

        /** The rows per micro-batch run in this step (a data batch, then possibly a no-data batch). */
        public List<List<Row>> batches() {
            return batches;
        }

        /** Rows dropped as late by the stateful operators in this step. */
        public long droppedLate() {
            long n = 0;
            for (StreamingQueryProgress p : progress) {
                n += Arrays.stream(p.stateOperators()).mapToLong(s -> s.numRowsDroppedByWatermark()).sum();
            }
            return n;
        }

        /** Rows held in state by all stateful operators after this step. */
        public long stateRows() {
            return last == null ? 0 : Arrays.stream(last.stateOperators()).mapToLong(s -> s.numRowsTotal()).sum();
        }

        /** Input rows read in this step. */
        public long inputRows() {
            return progress.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
        }

        /** The event-time watermark after this step, as an ISO-8601 instant ({@code 1970-01-01T00:00:00.000Z} before any). */
        public String watermark() {
            return last == null ? null : last.eventTime().get("watermark");
        }

        /** A figure of Spark's observed metrics ({@code Dataset.observe}) summed over this step's batches. */
        public long observed(String name, String field) {
            long n = 0;
            for (StreamingQueryProgress p : progress) {
                Row r = p.observedMetrics().get(name);
                if (r != null && !r.isNullAt(r.fieldIndex(field))) {
                    n += ((Number) r.getAs(field)).longValue();
                }
            }
            return n;
        }

        @Override
        public String toString() {
            return "Step{rows=" + rows + ", droppedLate=" + droppedLate() + ", stateRows=" + stateRows()
                    + ", watermark=" + watermark() + "}";
        }
    }
}
