package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà, "Learning from Time-Changing Data with Adaptive Windowing", SDM 2007),
 * in its ADWIN2 form: the window is kept as an exponential histogram (row {@code i} holds up to {@code M} buckets of
 * {@code 2^i} values, each bucket its sum and variance), so memory and time per value are O(M log W).
 *
 * <p>After each value (every {@code clock} values, as in the paper's implementation) every split of the window into
 * an older part W0 and a newer part W1 at a bucket boundary is tested; when the means differ by more than
 * <pre>  eps = sqrt(2/m * var(W) * ln(2/d')) + 2/(3m) * ln(2/d'),  m = 1/(1/n0 + 1/n1),  d' = delta / ln(n)</pre>
 * (the variance-based bound of the paper's section 4), the oldest bucket is dropped and the test repeats: the window
 * shrinks to the data since the change, and a change is reported.</p>
 */
public final class Adwin {
    private static final int MIN_SIDE = 5;
    private final double delta;
    private final int maxBuckets;
    private final int clock;
    /** rows.get(i): buckets of 2^i values, oldest first. Row 0 holds the newest values. */
    private final List<Row> rows = new ArrayList<>();
    private long width;
    private double total;
    private double variance;
    private long seen;
    private long detections;

    private static final class Row {
        final double[] totals;
        final double[] variances;
        int count;

        Row(int capacity) {
            totals = new double[capacity];
            variances = new double[capacity];
        }

        void add(double t, double v) {
            totals[count] = t;
            variances[count] = v;
            count++;
        }

        void removeOldest(int k) {
            System.arraycopy(totals, k, totals, 0, count - k);
            System.arraycopy(variances, k, variances, 0, count - k);
            count -= k;
        }
    }

    private Adwin(double delta, int maxBuckets, int clock) {
        ConfigException.check(delta > 0 && delta < 1, "ADWIN delta must be in (0, 1), got " + delta);
        ConfigException.check(maxBuckets >= 2 && clock >= 1, "ADWIN needs at least 2 buckets per row and clock >= 1");
        this.delta = delta;
        this.maxBuckets = maxBuckets;
        this.clock = clock;
    }

    /** Confidence {@code delta} (0.002 in the paper's experiments), 5 buckets per row, checks every 32 values. */
    public static Adwin create(double delta) {
        return new Adwin(delta, 5, 32);
    }

    /** Adds {@code x}; true when this value completed the evidence of a change (the window was then cut). */
    public boolean add(double x) {
        insert(x);
        seen++;
        boolean change = seen % clock == 0 && detectAndCut();
        if (change) {
            detections++;
        }
        return change;
    }

    public long width() {
        return width;
    }

    public double mean() {
        return width == 0 ? 0 : total / width;
    }

    public long detections() {
        return detections;
    }

    private void insert(double x) {
        if (rows.isEmpty()) {
            rows.add(new Row(maxBuckets + 1));
        }
        width++;
        if (width > 1) {
            double d = x - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += x;
        rows.get(0).add(x, 0);
        compress();
    }

    /** Merges the two oldest buckets of a full row into one bucket of the next row, up the rows. */
    private void compress() {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.count <= maxBuckets) {
                return;
            }
            if (i + 1 == rows.size()) {
                rows.add(new Row(maxBuckets + 1));
            }
            double n = Math.pow(2, i);
            double u1 = row.totals[0];
            double u2 = row.totals[1];
            double d = u1 / n - u2 / n;
            double v = row.variances[0] + row.variances[1] + n * n * d * d / (2 * n);
            row.removeOldest(2);
            rows.get(i + 1).add(u1 + u2, v);
        }
    }

    private boolean detectAndCut() {
        boolean change = false;
        boolean cut = true;
        while (cut && width > 2 * MIN_SIDE) {
            cut = false;
            double n0 = 0;
            double u0 = 0;
            double n1 = width;
            double u1 = total;
            // oldest buckets first: W0 grows, W1 shrinks
            outer:
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                double size = Math.pow(2, i);
                for (int k = 0; k < row.count; k++) {
                    n0 += size;
                    u0 += row.totals[k];
                    n1 -= size;
                    u1 -= row.totals[k];
                    if (n1 < MIN_SIDE) {
                        break outer;
                    }
                    if (n0 >= MIN_SIDE && differ(n0, u0, n1, u1)) {
                        cut = true;
                        break outer;
                    }
                }
            }
            if (cut) {
                change = true;
                dropOldest();
            }
        }
        return change;
    }

    private boolean differ(double n0, double u0, double n1, double u1) {
        double n = width;
        double dPrime = delta / Math.log(n);
        double m = 1 / (1 / n0 + 1 / n1);
        double ln = Math.log(2 / dPrime);
        double var = variance / n;
        double eps = Math.sqrt(2 / m * var * ln) + 2 / (3 * m) * ln;
        return Math.abs(u0 / n0 - u1 / n1) > eps;
    }

    private void dropOldest() {
        int i = rows.size() - 1;
        Row row = rows.get(i);
        double n = Math.pow(2, i);
        double u = row.totals[0];
        double v = row.variances[0];
        row.removeOldest(1);
        if (row.count == 0) {
            rows.remove(i);
        }
        width -= (long) n;
        total -= u;
        if (width > 0) {
            double d = u / n - total / width;
            variance -= v + n * width * d * d / (n + width);
            variance = Math.max(0, variance);
        } else {
            variance = 0;
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(delta);
        out.writeInt(maxBuckets);
        out.writeInt(clock);
        out.writeLong(width);
        out.writeDouble(total);
        out.writeDouble(variance);
        out.writeLong(seen);
        out.writeLong(detections);
        out.writeInt(rows.size());
        for (Row r : rows) {
            out.writeInt(r.count);
            for (int k = 0; k < r.count; k++) {
                out.writeDouble(r.totals[k]);
                out.writeDouble(r.variances[k]);
            }
        }
    }

    static Adwin read(DataInputStream in) throws IOException {
        Adwin a = new Adwin(in.readDouble(), in.readInt(), in.readInt());
        a.width = in.readLong();
        a.total = in.readDouble();
        a.variance = in.readDouble();
        a.seen = in.readLong();
        a.detections = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Row r = new Row(a.maxBuckets + 1);
            int count = in.readInt();
            for (int k = 0; k < count; k++) {
                r.add(in.readDouble(), in.readDouble());
            }
            a.rows.add(r);
        }
        return a;
    }
}
