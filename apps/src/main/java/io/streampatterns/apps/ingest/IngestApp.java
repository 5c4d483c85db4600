package io.streampatterns.apps.ingest;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Storage;
import io.streampatterns.dedup.Dedup;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.search.SearchTarget;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Use case 1: streaming ingestion and ETL into the lake (Delta) and the warehouse (PostgreSQL), exactly once.
 *
 * <p>raw records → {@link Validation} (typed events or quarantine reasons) → a {@link QuarantineTap} (bad records
 * captured as they pass) → {@link Dedup} on the event id (when the schema has one) → {@link IngestSink}: good rows to
 * the Delta table {@code lake/table} partitioned by event date, in the job that evaluates the micro-batch; then the
 * quarantined rows to {@code lake/table_quarantine}; good rows upserted into PostgreSQL, indexed, or sent to Kafka if
 * configured. Every sink is idempotent by batch id, so a crash and restart from the checkpoint neither loses nor
 * duplicates a record.</p>
 */
public final class IngestApp {
    private IngestApp() {
    }

    /**
     * The good records of {@code raw}, typed and deduplicated (when the schema has an event id), ready for the sinks; the
     * quarantined ones are captured by {@code tap} as they pass (the sink writes them once it evaluated the batch). With
     * an event id, only the schema's fields remain (no sink reads the raw text or the source of a good row: the lake
     * holds the typed fields, the warehouse is keyed by the id), so the dedup shuffle and its state operator carry no
     * more than the lake gets; without one, {@code source} stays as the key of the keyed sinks.
     */
    static Dataset<Row> build(Dataset<Row> raw, Options options, QuarantineTap tap) {
        Dataset<Row> checked = raw.transform(Validation.of(options.schema, options.format, options.validation)::apply)
                .observe("ingest", count(lit(1)).alias("rows"),
                        sum(when(col(Validation.REASON).isNotNull(), 1).otherwise(0)).alias("quarantined"));
        Dataset<Row> good = tap.good(checked).drop(Validation.RAW, Validation.REASON);
        Optional<String> id = options.schema.eventId();
        if (id.isEmpty()) {
            return good;
        }
        Dedup.Options dedup = Dedup.Options.of(id.get(), EventTime.of(options.schema.eventTime(), options.dedupWindow));
        return good.drop(Validation.SOURCE).transform(Dedup.of(dedup)::apply)
                .observe("dedup", count(lit(1)).alias("unique"));
    }

    /**
     * Builds the pipeline over {@code raw} and starts it with its sinks; the checkpoint defaults to {@code
     * lake/_checkpoints/table}. Quarantined records are kept in memory up to a limit per micro-batch; beyond it, a
     * batch fails, as this input is not known to be readable again: see the overload with a {@code reread}.
     */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> raw, Options options, Trigger trigger) {
        return start(spark, raw, options, trigger, QuarantineTap.Reread.unsupported());
    }

    /** Like {@link #start(SparkSession, Dataset, Options, Trigger)}; quarantined records beyond the limit are read again with {@code reread}. */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> raw, Options options, Trigger trigger,
                                       QuarantineTap.Reread reread) {
        URI checkpoint = options.checkpoint();
        QuarantineTap tap = QuarantineTap.register(spark, "ingest-" + options.table);
        try {
            return build(raw, options, tap).writeStream()
                    .queryName("ingest-" + options.table)
                    .option("checkpointLocation", Storage.text(checkpoint))
                    .trigger(trigger)
                    .foreachBatch(new IngestSink(options, checkpoint, () -> tap.drain(spark, reread)))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of the ingestion pipeline. */
    public static final class Options implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final EventSchema schema;
        final RecordFormat format;
        final URI lake;
        final String table;
        final URI checkpoint;
        final Duration dedupWindow;
        final Validation.ValidationOptions validation;
        final int writers;
        final int compactEvery;
        final JdbcTarget warehouse;
        final SearchTarget search;
        final KafkaTarget kafka;

        private Options(EventSchema schema, RecordFormat format, URI lake, String table, URI checkpoint,
                        Duration dedupWindow, Validation.ValidationOptions validation, int writers, int compactEvery,
                        JdbcTarget warehouse, SearchTarget search, KafkaTarget kafka) {
            ConfigException.check(table.matches("[A-Za-z_][A-Za-z0-9_]*"), "--table must be a plain name (letters, digits, _), got '" + table + "'");
            ConfigException.check(writers > 0, "--writers must be > 0, got " + writers);
            ConfigException.check(compactEvery >= 0, "--compact-every must be >= 0, got " + compactEvery);
            ConfigException.check(!dedupWindow.isNegative() && !dedupWindow.isZero(), "--watermark must be positive");
            this.schema = schema;
            this.format = format;
            this.lake = lake;
            this.table = table;
            this.checkpoint = checkpoint;
            this.dedupWindow = dedupWindow;
            this.validation = validation;
            this.writers = writers;
            this.compactEvery = compactEvery;
            this.warehouse = warehouse;
            this.search = search;
            this.kafka = kafka;
        }

        /** Ingest records of {@code format} with {@code schema} into {@code lake/table}; defaults: dedup window 10 min, 2 writers, compaction every 50 batches. */
        public static Options of(EventSchema schema, RecordFormat format, URI lake, String table) {
            return new Options(Objects.requireNonNull(schema, "schema"), Objects.requireNonNull(format, "format"),
                    Objects.requireNonNull(lake, "lake"), Objects.requireNonNull(table, "table"), null,
                    Duration.ofMinutes(10), Validation.ValidationOptions.defaults(), 2, 50, null, null, null);
        }

        public Options withCheckpoint(URI dir) {
            return new Options(schema, format, lake, table, dir, dedupWindow, validation, writers, compactEvery, warehouse, search, kafka);
        }

        /** How long (event time) an event id is remembered for dedup; also the watermark delay. */
        public Options withDedupWindow(Duration window) {
            return new Options(schema, format, lake, table, checkpoint, window, validation, writers, compactEvery, warehouse, search, kafka);
        }

        public Options withValidation(Validation.ValidationOptions v) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, v, writers, compactEvery, warehouse, search, kafka);
        }

        /** At most this many files per event date per micro-batch in the lake table. */
        public Options withWriters(int n) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, validation, n, compactEvery, warehouse, search, kafka);
        }

        /** Compact the lake table's small files every {@code n} batches (0 = never). */
        public Options withCompactEvery(int n) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, validation, writers, n, warehouse, search, kafka);
        }

        /** Also upsert good rows into PostgreSQL. */
        public Options withWarehouse(JdbcTarget target) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, validation, writers, compactEvery, target, search, kafka);
        }

        /** Also index good rows into a search engine (document id: the event id, else the record's source). */
        public Options withSearch(SearchTarget target) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, validation, writers, compactEvery,
                    warehouse, target, kafka);
        }

        /** Also write good rows as JSON to a Kafka topic, exactly once (key: the event id, else the record's source). */
        public Options withKafka(KafkaTarget target) {
            return new Options(schema, format, lake, table, checkpoint, dedupWindow, validation, writers, compactEvery,
                    warehouse, search, target);
        }

        /** The column that identifies a good row in the keyed sinks: the event id, else the record's source. */
        String keyColumn() {
            return schema.eventId().orElse(Validation.SOURCE);
        }

        public EventSchema schema() {
            return schema;
        }

        public RecordFormat format() {
            return format;
        }

        public URI tablePath() {
            return Storage.child(lake, table);
        }

        public URI quarantinePath() {
            return Storage.child(lake, table + "_quarantine");
        }

        public URI checkpoint() {
            return checkpoint != null ? checkpoint : Storage.child(Storage.child(lake, "_checkpoints"), table);
        }
    }
}
