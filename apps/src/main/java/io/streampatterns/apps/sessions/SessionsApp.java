package io.streampatterns.apps.sessions;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Storage;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.Sessionizer;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Use case 4: sessionization. Events → {@link Sessionizer} (it sets the watermark) → the Delta table at {@code output}:
 * in append mode each final session is appended once (Delta's exactly-once streaming sink); in update mode the table
 * holds the latest version of every session, open ones included ({@link SessionsSink}: MERGE on {@code session_id}
 * per micro-batch, superseded ids deleted, idempotent by batch id).
 *
 * <p>Columns: the sessionizer's built-in ones and, as session aggregates, {@code first_page} and {@code last_page}
 * (the page of the earliest and latest event), {@code campaign} (the earliest non-null one) and {@code amount} (sum);
 * each is null when its input column is not given, so the table has the same columns for every input.</p>
 */
public final class SessionsApp {
    private SessionsApp() {
    }

    /** The sessions of {@code events} (a stream whose time column is a TIMESTAMP): {@link #columns(DataType)}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, Options options) {
        Dataset<Row> sessions = Sessionizer.of(options.sessions.aggregates(options.aggregates())).apply(events);
        List<String> present = Arrays.asList(sessions.columns());
        List<Column> out = new ArrayList<>();
        for (StructField f : columns(sessions.schema().apply("key").dataType()).fields()) {
            out.add(present.contains(f.name()) ? col(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
        }
        return sessions.select(out.toArray(new Column[0]));
    }

    /** The columns of the sessions table for a key of {@code keyType}. */
    public static StructType columns(DataType keyType) {
        return SessionOptions.of("key", EventTime.upstream("t"))
                .aggregates(Aggregates.first("page", "first_page"), Aggregates.last("page", "last_page"),
                        Aggregates.firstNonNull("campaign", "campaign"), Aggregates.sum("amount", "amount"))
                .outputSchema(keyType);
    }

    /**
     * Builds the pipeline over {@code events} and starts writing the sessions table, checkpointed in {@code checkpoint};
     * the same query writes the records its input quarantined to {@code quarantine}.
     */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, Options options, URI checkpoint, Trigger trigger,
                                       QuarantineTable quarantine) {
        Dataset<Row> sessions = build(spark, events, options);
        String path = Storage.text(options.output);
        String appId = DeltaSinks.appIdFor(checkpoint, "sessions:" + path);
        boolean append = options.sessions.mode() == EmitMode.APPEND;
        VoidFunction2<Dataset<Row>, Long> sink = append ? DeltaSinks.appender(path, appId) : new SessionsSink(path, appId);
        try {
            return sessions.writeStream().queryName("sessions").outputMode(append ? "append" : "update")
                    .option("checkpointLocation", Storage.text(checkpoint)).trigger(trigger)
                    .foreachBatch(quarantine.around(sink, checkpoint)).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of the sessions pipeline; immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SessionOptions sessions;
        private final String page;
        private final String campaign;
        private final String amount;
        private final URI output;

        private Options(SessionOptions sessions, String page, String campaign, String amount, URI output) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            this.page = page;
            this.campaign = campaign;
            this.amount = amount;
            this.output = output;
        }

        /**
         * Sessions of {@code sessions} (key, event time, rules, emit mode; its aggregates are replaced by the table's),
         * written to {@code output}; no page, campaign or amount column.
         */
        public static Options of(SessionOptions sessions, URI output) {
            return new Options(sessions, null, null, null, output);
        }

        /** The columns feeding first_page/last_page, campaign and amount; each may be null (a null column). */
        public Options withColumns(String pageColumn, String campaignColumn, String amountColumn) {
            return new Options(sessions, pageColumn, campaignColumn, amountColumn, output);
        }

        public SessionOptions sessions() {
            return sessions;
        }

        public URI output() {
            return output;
        }

        private Aggregate<?>[] aggregates() {
            List<Aggregate<?>> list = new ArrayList<>();
            if (page != null) {
                list.add(Aggregates.first(page, "first_page"));
                list.add(Aggregates.last(page, "last_page"));
            }
            if (campaign != null) {
                list.add(Aggregates.firstNonNull(campaign, "campaign"));
            }
            if (amount != null) {
                list.add(Aggregates.sum(amount, "amount"));
            }
            return list.toArray(new Aggregate<?>[0]);
        }
    }
}
