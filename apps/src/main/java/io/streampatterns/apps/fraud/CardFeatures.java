package io.streampatterns.apps.fraud;

import io.streampatterns.core.Durations;
import io.streampatterns.quarantine.EventSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The built-in features of card transactions, computed per card in Spark state from the card's own history up to
 * the event (never from its future):
 * <ul>
 *   <li>numbers: {@code amount_log} = ln(1 + amount), {@code since_previous_log} = ln(1 + seconds since the card's
 *       previous payment), {@code count_1h} and {@code amount_1h_log}: the card's payments and their amount in the hour
 *       before, {@code amount_vs_card} = amount_log minus the card's mean amount_log so far, {@code country_changed}
 *       (1 when the country differs from the card's previous payment), {@code card_history_log} = ln(1 + the card's
 *       payments so far);</li>
 *   <li>strings: {@code country}, {@code currency}, {@code merchant_id}, the hour of day (UTC).</li>
 * </ul>
 * A feature without history (the card's first payment) or from a bad amount is missing (NaN): imputed and flagged
 * by the encoder; an amount that is not a number is named in {@code imputed}. An event older than the card's newest
 * (out of order) gets no since-previous or country-change feature, as those would come from its future.
 *
 * <p>State: one value per card (transformWithState, RocksDB) with the time and country of its newest payment, its
 * counts and mean log amount, and the payments of the last hour; an event-time timer removes a card inactive for
 * the state TTL (30 days by default). Input: the {@link #SCHEMA} columns; the watermark (on {@code ts}) bounds how
 * late an event may be.</p>
 */
public final class CardFeatures implements Serializable {
    private static final long serialVersionUID = 1L;
    static final List<String> NUMERIC = List.of("amount_log", "since_previous_log", "count_1h", "amount_1h_log",
            "amount_vs_card", "country_changed", "card_history_log");
    static final List<String> STRINGS = List.of("country", "currency", "merchant_id", "hour");
    static final String STATE_NAME = "card";

    /** The transactions schema as this step reads it: {@code amount} as text, so that a bad amount is imputed, not quarantined. */
    public static final EventSchema SCHEMA = EventSchema.fromDdl("transactions",
            "tx_id STRING NOT NULL, card_id STRING NOT NULL, merchant_id STRING NOT NULL, amount STRING, "
                    + "currency STRING, country STRING, ts TIMESTAMP NOT NULL", "ts").withEventId("tx_id");

    static final StructType OUTPUT = new StructType()
            .add(FraudRows.ID, DataTypes.StringType)
            .add(FraudRows.EVENT_TIME, DataTypes.TimestampType)
            .add(FraudRows.NUM, DataTypes.createArrayType(DataTypes.DoubleType))
            .add(FraudRows.STR, DataTypes.createArrayType(DataTypes.StringType))
            .add(FraudRows.IMPUTED, DataTypes.StringType);

    private final Duration watermark;
    private final Duration stateTtl;

    private CardFeatures(Duration watermark, Duration stateTtl) {
        this.watermark = watermark;
        this.stateTtl = stateTtl;
    }

    /** Watermark delay {@code watermark} on {@code ts}; a card's state is dropped after 30 days without payments. */
    public static CardFeatures of(Duration watermark) {
        return new CardFeatures(Objects.requireNonNull(watermark, "watermark"), Duration.ofDays(30));
    }

    public CardFeatures withStateTtl(Duration ttl) {
        return new CardFeatures(watermark, ttl);
    }

    /** Good transaction rows ({@link #SCHEMA}) → {@code id, event_time, num, str, imputed}, one row per transaction. */
    public Dataset<Row> apply(Dataset<Row> transactions) {
        Dataset<Row> w = transactions.select("tx_id", "card_id", "merchant_id", "amount", "currency", "country", "ts")
                .withWatermark("ts", Durations.toSparkInterval(watermark));
        StructType in = w.schema();
        return w.groupBy(w.col("card_id"))
                .as(Encoders.row(new StructType().add("card_id", DataTypes.StringType, false)), Encoders.row(in))
                .transformWithState(new CardFeaturesProcessor(stateTtl.toMillis()), TimeMode.EventTime(),
                        OutputMode.Append(), Encoders.row(OUTPUT));
    }
}
