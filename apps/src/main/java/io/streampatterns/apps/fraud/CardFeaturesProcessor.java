package io.streampatterns.apps.fraud;

import io.streampatterns.core.KeyTimer;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Per card, one state value: {@code last_ms} and {@code last_country} of its newest payment, {@code n} payments,
 * {@code amounts} valid amounts and their {@code mean_log}, and the payments of the hour before the newest
 * ({@code recent_ms}, {@code recent_amount}); one event-time timer at {@code last_ms + ttl} removes it.
 */
final class CardFeaturesProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long HOUR = 3_600_000L;
    static final StructType STATE = new StructType()
            .add("last_ms", DataTypes.LongType)
            .add("last_country", DataTypes.StringType)
            .add("n", DataTypes.LongType)
            .add("amounts", DataTypes.LongType)
            .add("mean_log", DataTypes.DoubleType)
            .add("recent_ms", DataTypes.createArrayType(DataTypes.LongType))
            .add("recent_amount", DataTypes.createArrayType(DataTypes.DoubleType));

    private final long ttlMs;
    private transient ValueState<Row> card;

    CardFeaturesProcessor(long ttlMs) {
        this.ttlMs = ttlMs;
    }

    /** The mutable history of one card while a batch is handled. */
    private static final class History {
        long lastMs = Long.MIN_VALUE;
        String lastCountry;
        long n;
        long amounts;
        double meanLog;
        final List<long[]> recentMs = new ArrayList<>();
        final List<Double> recentAmount = new ArrayList<>();
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        card = getHandle().getValueState(CardFeatures.STATE_NAME, Encoders.row(STATE), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> rows, TimerValues timers) {
        History h = card.exists() ? fromState(card.get()) : new History();
        long registered = h.lastMs == Long.MIN_VALUE ? KeyTimer.NONE : h.lastMs + ttlMs;
        List<Row> batch = new ArrayList<>();
        rows.foreach(batch::add);
        // within a batch, in event-time order (then id): each payment sees exactly the card's earlier ones
        batch.sort(Comparator.<Row>comparingLong(r -> r.<Timestamp>getAs("ts").getTime())
                .thenComparing(r -> r.<String>getAs("tx_id")));
        List<Row> out = new ArrayList<>(batch.size());
        for (Row r : batch) {
            out.add(features(h, r));
        }
        KeyTimer.move(getHandle(), registered, h.lastMs + ttlMs);
        card.update(toState(h));
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timers, ExpiredTimerInfo info) {
        card.clear();
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    private static Row features(History h, Row r) {
        Timestamp ts = r.getAs("ts");
        long t = ts.getTime();
        String country = r.getAs("country");
        double amount = parseAmount(r.getAs("amount"));
        boolean inOrder = h.lastMs != Long.MIN_VALUE && h.lastMs <= t;
        int count1h = 0;
        double sum1h = 0;
        for (int k = 0; k < h.recentMs.size(); k++) {
            long rt = h.recentMs.get(k)[0];
            if (rt <= t && rt > t - HOUR) {
                count1h++;
                double a = h.recentAmount.get(k);
                sum1h += Double.isNaN(a) ? 0 : a;
            }
        }
        double amountLog = Double.isNaN(amount) ? Double.NaN : Math.log1p(amount);
        double[] num = {
                amountLog,
                inOrder ? Math.log1p((t - h.lastMs) / 1000.0) : Double.NaN,
                count1h,
                Math.log1p(sum1h),
                h.amounts > 0 && !Double.isNaN(amountLog) ? amountLog - h.meanLog : Double.NaN,
                inOrder && h.lastCountry != null && country != null ? (country.equals(h.lastCountry) ? 0 : 1) : Double.NaN,
                Math.log1p(h.n)};
        learn(h, t, country, amount, amountLog);
        List<Double> numList = new ArrayList<>(num.length);
        for (double v : num) {
            numList.add(Double.isNaN(v) ? null : v);
        }
        String hour = "h" + ts.toInstant().atZone(java.time.ZoneOffset.UTC).getHour();
        List<String> str = java.util.Arrays.asList(country, r.<String>getAs("currency"), r.<String>getAs("merchant_id"), hour);
        return RowFactory.create(r.<String>getAs("tx_id"), ts, CollectionConverters.asScala(numList).toSeq(),
                CollectionConverters.asScala(str).toSeq(), Double.isNaN(amount) ? "amount" : null);
    }

    private static void learn(History h, long t, String country, double amount, double amountLog) {
        h.n++;
        if (!Double.isNaN(amountLog)) {
            h.amounts++;
            h.meanLog += (amountLog - h.meanLog) / h.amounts;
        }
        if (t >= h.lastMs) {
            h.lastMs = t;
            h.lastCountry = country;
        }
        h.recentMs.add(new long[] {t});
        h.recentAmount.add(amount);
        for (int k = h.recentMs.size() - 1; k >= 0; k--) {
            if (h.recentMs.get(k)[0] <= h.lastMs - HOUR) {
                h.recentMs.remove(k);
                h.recentAmount.remove(k);
            }
        }
    }

    /** A non-negative number, or NaN (missing, not a number, negative). */
    static double parseAmount(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(text.trim());
            return v >= 0 && !Double.isInfinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static History fromState(Row s) {
        History h = new History();
        h.lastMs = s.getLong(0);
        h.lastCountry = s.getString(1);
        h.n = s.getLong(2);
        h.amounts = s.getLong(3);
        h.meanLog = s.getDouble(4);
        List<Long> ms = s.getList(5);
        List<Double> amounts = s.getList(6);
        for (int k = 0; k < ms.size(); k++) {
            h.recentMs.add(new long[] {ms.get(k)});
            h.recentAmount.add(amounts.get(k) == null ? Double.NaN : amounts.get(k));
        }
        return h;
    }

    private static Row toState(History h) {
        List<Long> ms = new ArrayList<>();
        List<Double> amounts = new ArrayList<>();
        for (int k = 0; k < h.recentMs.size(); k++) {
            ms.add(h.recentMs.get(k)[0]);
            double a = h.recentAmount.get(k);
            amounts.add(Double.isNaN(a) ? null : a);
        }
        return RowFactory.create(h.lastMs, h.lastCountry, h.n, h.amounts, h.meanLog,
                CollectionConverters.asScala(ms).toSeq(), CollectionConverters.asScala(amounts).toSeq());
    }
}
