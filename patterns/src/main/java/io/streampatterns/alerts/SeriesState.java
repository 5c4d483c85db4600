package io.streampatterns.alerts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The alert state of one series: the last evaluated interval, its timer, and per rule its streak and firing flag. */
final class SeriesState {
    static final long NONE = io.streampatterns.core.KeyTimer.NONE;
    private static final byte VERSION = 1;

    /** Start (ms) of the last interval evaluated, or {@link #NONE}. */
    long last = NONE;
    long timer = NONE;
    /** Per rule: whether it watches this series (decided by the first row). */
    final boolean[] applies;
    /** Per rule: consecutive intervals the condition held (capped at the rule's count). */
    final int[] streak;
    final boolean[] firing;
    /** Per rule: start of the current streak (ms). */
    final long[] since;

    SeriesState(int rules) {
        applies = new boolean[rules];
        streak = new int[rules];
        firing = new boolean[rules];
        since = new long[rules];
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + applies.length * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(last);
            out.writeLong(timer);
            out.writeInt(applies.length);
            for (int i = 0; i < applies.length; i++) {
                out.writeBoolean(applies[i]);
                out.writeInt(streak[i]);
                out.writeBoolean(firing[i]);
                out.writeLong(since[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SeriesState decode(byte[] bytes, int rules) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown alert state version " + version);
            }
            long last = in.readLong();
            long timer = in.readLong();
            int n = in.readInt();
            if (n != rules) {
                throw new IllegalStateException("the checkpoint's alert state has " + n + " rules, the query " + rules
                        + ": changing the rules needs a new checkpoint");
            }
            SeriesState s = new SeriesState(rules);
            s.last = last;
            s.timer = timer;
            for (int i = 0; i < n; i++) {
                s.applies[i] = in.readBoolean();
                s.streak[i] = in.readInt();
                s.firing[i] = in.readBoolean();
                s.since[i] = in.readLong();
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
