package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one key: its live panes (pane index to accumulators), the time through which its windows are
 * closed, and its one registered timer. Stored as one binary value per key.
 */
final class KeyPanes {
    static final long NO_TIMER = io.streampatterns.core.KeyTimer.NONE;
    private static final byte VERSION = 1;

    /** Windows ending at or before this time (ms) are closed: emitted (append) and no longer updated. */
    long closedThrough;
    /** The event-time timer registered for this key, or {@link #NO_TIMER}. */
    long timer = NO_TIMER;
    final TreeMap<Long, Object[]> panes = new TreeMap<>();

    KeyPanes(long closedThrough) {
        this.closedThrough = closedThrough;
    }

    byte[] encode(AggregateSet aggregates) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + panes.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(closedThrough);
            out.writeLong(timer);
            out.writeInt(panes.size());
            for (Map.Entry<Long, Object[]> e : panes.entrySet()) {
                out.writeLong(e.getKey());
                aggregates.write(e.getValue(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static KeyPanes decode(byte[] bytes, AggregateSet aggregates) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown pane state version " + version);
            }
            KeyPanes s = new KeyPanes(in.readLong());
            s.timer = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long pane = in.readLong();
                s.panes.put(pane, aggregates.read(in));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
