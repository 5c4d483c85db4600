package io.streampatterns.online;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A tumbling window of {@code size} labelled examples for prequential (test-then-train) evaluation: the champion's
 * and the challenger's scores given when the event was scored, and the label that came later.
 */
final class EvalWindow {
    private final int size;
    private final double[] champion;
    private final double[] challenger;
    private final int[] labels;
    private int count;
    private long firstEventMillis = Long.MAX_VALUE;
    private long lastEventMillis = Long.MIN_VALUE;

    EvalWindow(int size) {
        this.size = size;
        this.champion = new double[size];
        this.challenger = new double[size];
        this.labels = new int[size];
    }

    /** Adds one example; true when the window is full. */
    boolean add(double championScore, double challengerScore, int label, long eventMillis) {
        champion[count] = championScore;
        challenger[count] = challengerScore;
        labels[count] = label;
        count++;
        firstEventMillis = Math.min(firstEventMillis, eventMillis);
        lastEventMillis = Math.max(lastEventMillis, eventMillis);
        return count == size;
    }

    Metrics championMetrics(double threshold) {
        return Metrics.of(champion, labels, count, threshold);
    }

    Metrics challengerMetrics(double threshold) {
        return Metrics.of(challenger, labels, count, threshold);
    }

    int count() {
        return count;
    }

    long firstEventMillis() {
        return firstEventMillis;
    }

    long lastEventMillis() {
        return lastEventMillis;
    }

    void clear() {
        count = 0;
        firstEventMillis = Long.MAX_VALUE;
        lastEventMillis = Long.MIN_VALUE;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(size);
        out.writeInt(count);
        out.writeLong(firstEventMillis);
        out.writeLong(lastEventMillis);
        for (int k = 0; k < count; k++) {
            out.writeDouble(champion[k]);
            out.writeDouble(challenger[k]);
            out.writeByte(labels[k]);
        }
    }

    static EvalWindow read(DataInputStream in) throws IOException {
        EvalWindow w = new EvalWindow(in.readInt());
        int count = in.readInt();
        w.firstEventMillis = in.readLong();
        w.lastEventMillis = in.readLong();
        for (int k = 0; k < count; k++) {
            w.champion[k] = in.readDouble();
            w.challenger[k] = in.readDouble();
            w.labels[k] = in.readByte();
        }
        w.count = count;
        return w;
    }
}
