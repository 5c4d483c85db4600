package io.streampatterns.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable run of event ids with the time until which each counts as seen, sorted by the id's UTF-8 bytes and
 * kept as one byte array: the unit of the dedup state. A lookup is a binary search in the bytes (no object per id is
 * built when a chunk is read); the chunk as a whole expires once the watermark passes its latest time.
 *
 * <p>Layout: {@code int n, long minUntil, long maxUntil, long until[n], int end[n], byte ids[]} where id {@code i}
 * is {@code ids[end[i-1], end[i])}.</p>
 */
final class IdChunk {
    private static final int HEADER = 4 + 8 + 8;

    private final ByteBuffer bytes;
    private final int n;
    private final int untilAt;
    private final int endAt;
    private final int idsAt;

    private IdChunk(byte[] raw) {
        this.bytes = ByteBuffer.wrap(raw);
        this.n = bytes.getInt(0);
        this.untilAt = HEADER;
        this.endAt = untilAt + 8 * n;
        this.idsAt = endAt + 4 * n;
    }

    /** The chunk stored as {@code raw} (from {@link #bytes()}). */
    static IdChunk wrap(byte[] raw) {
        return new IdChunk(raw);
    }

    /** A chunk of {@code ids} (distinct) with their times. */
    static IdChunk of(List<byte[]> ids, List<Long> untils) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(ids.get(a), ids.get(b)));
        List<byte[]> sortedIds = new ArrayList<>(order.length);
        long[] sortedUntil = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds.add(ids.get(order[i]));
            sortedUntil[i] = untils.get(order[i]);
        }
        return build(sortedIds, sortedUntil);
    }

    /** UTF-8 bytes of an id, as chunks compare them. */
    static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static IdChunk build(List<byte[]> sortedIds, long[] until) {
        int n = sortedIds.size();
        int idBytes = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            idBytes += sortedIds.get(i).length;
            min = Math.min(min, until[i]);
            max = Math.max(max, until[i]);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + 12 * n + idBytes);
        b.putInt(n).putLong(min).putLong(max);
        for (long u : until) {
            b.putLong(u);
        }
        int end = 0;
        for (byte[] id : sortedIds) {
            end += id.length;
            b.putInt(end);
        }
        for (byte[] id : sortedIds) {
            b.put(id);
        }
        return new IdChunk(b.array());
    }

    /**
     * Merges chunks into one, keeping for an id found in several the latest time, and dropping the ids whose time is
     * at or before {@code watermark} (they count as unseen already).
     */
    static IdChunk merge(List<IdChunk> chunks, long watermark) {
        List<byte[]> ids = new ArrayList<>();
        List<Long> untils = new ArrayList<>();
        java.util.Map<ByteBuffer, Integer> at = new java.util.HashMap<>();
        for (IdChunk c : chunks) {
            for (int i = 0; i < c.n; i++) {
                long u = c.until(i);
                if (u <= watermark) {
                    continue;
                }
                byte[] id = c.id(i);
                Integer seen = at.putIfAbsent(ByteBuffer.wrap(id), ids.size());
                if (seen == null) {
                    ids.add(id);
                    untils.add(u);
                } else if (untils.get(seen) < u) {
                    untils.set(seen, u);
                }
            }
        }
        return of(ids, untils);
    }

    /** Until when {@code id} (UTF-8 bytes) counts as seen in this chunk, or {@code Long.MIN_VALUE} when it is not in it. */
    long untilOf(byte[] id) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(mid, id);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return until(mid);
            }
        }
        return Long.MIN_VALUE;
    }

    private int compare(int i, byte[] id) {
        int from = start(i);
        int len = bytes.getInt(endAt + 4 * i) - from;
        byte[] a = bytes.array();
        return Arrays.compareUnsigned(a, idsAt + from, idsAt + from + len, id, 0, id.length);
    }

    private int start(int i) {
        return i == 0 ? 0 : bytes.getInt(endAt + 4 * (i - 1));
    }

    private long until(int i) {
        return bytes.getLong(untilAt + 8 * i);
    }

    private byte[] id(int i) {
        int from = start(i);
        int to = bytes.getInt(endAt + 4 * i);
        return Arrays.copyOfRange(bytes.array(), idsAt + from, idsAt + to);
    }

    int size() {
        return n;
    }

    /** The earliest time an id of the chunk counts as seen until. */
    long minUntil() {
        return bytes.getLong(4);
    }

    /** The latest: once the watermark is there, no id of the chunk counts as seen any more. */
    long maxUntil() {
        return bytes.getLong(12);
    }

    byte[] bytes() {
        return bytes.array();
    }
}
