package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Builds window aggregates from pane aggregates with about two merges per pane and two per window, instead of
 * one merge per pane per window (60 per window for 1 h every 1 min).
 *
 * <p>Pane indexes are cut into blocks of one window length, aligned to multiples of it. A window starting in
 * block {@code b} is a suffix of block {@code b} followed by a prefix of block {@code b + 1}. One backward walk
 * over block {@code b} yields the suffixes of all windows starting there, one forward walk over block
 * {@code b + 1} their prefixes. Pane accumulators are never modified.</p>
 *
 * <p>Windows holding exactly the same panes share one accumulator, computed once. With sparse panes this is most
 * windows: a day sliding by the minute over a key seen a few times an hour changes content only when a pane enters
 * or leaves, not at each of its 1,440 starts.</p>
 */
final class WindowAssembler {
    private final PaneGeometry geometry;
    private final AggregateSet aggregates;

    WindowAssembler(PaneGeometry geometry, AggregateSet aggregates) {
        this.geometry = geometry;
        this.aggregates = aggregates;
    }

    /**
     * The merged accumulators of each window in {@code windows} (ascending window indexes); windows holding the same
     * panes get the same array, which callers must not modify.
     */
    Object[][] assemble(NavigableMap<Long, Object[]> paneMap, long[] windows) {
        Panes panes = new Panes(paneMap);
        long p = geometry.panesPerWindow;
        long[] distinct = new long[windows.length];
        int[] distinctOf = new int[windows.length];
        int n = 0;
        int lo = 0;
        int hi = 0;
        for (int x = 0; x < windows.length; x++) {
            int prevLo = lo;
            int prevHi = hi;
            while (lo < panes.index.length && panes.index[lo] < windows[x]) {
                lo++;
            }
            while (hi < panes.index.length && panes.index[hi] < windows[x] + p) {
                hi++;
            }
            if (x == 0 || lo != prevLo || hi != prevHi) {
                distinct[n++] = windows[x];
            }
            distinctOf[x] = n - 1;
        }
        Object[][] merged = assembleEach(panes, Arrays.copyOf(distinct, n));
        Object[][] out = new Object[windows.length][];
        for (int x = 0; x < windows.length; x++) {
            out[x] = merged[distinctOf[x]];
        }
        return out;
    }

    /** A fresh merged accumulator for each window in {@code windows} (ascending window indexes). */
    private Object[][] assembleEach(Panes panes, long[] windows) {
        long p = geometry.panesPerWindow;
        Object[][] out = new Object[windows.length][];
        int from = 0;
        while (from < windows.length) {
            long block = Math.floorDiv(windows[from], p);
            int to = from;
            while (to < windows.length && Math.floorDiv(windows[to], p) == block) {
                to++;
            }
            long blockEnd = (block + 1) * p;
            suffixes(panes, windows, from, to, blockEnd, out);
            prefixes(panes, windows, from, to, blockEnd, out);
            from = to;
        }
        return out;
    }

    /** {@code out[x]} = a fresh accumulator of panes {@code [windows[x], blockEnd)}, for x in [from, to). */
    private void suffixes(Panes panes, long[] windows, int from, int to, long blockEnd, Object[][] out) {
        Object[] running = aggregates.zero();
        int absorbedFrom = panes.firstAtOrAfter(blockEnd);
        for (int x = to - 1; x >= from; x--) {
            int first = panes.firstAtOrAfter(windows[x]);
            for (int k = absorbedFrom - 1; k >= first; k--) {
                running = aggregates.merge(running, panes.accs[k]);
            }
            absorbedFrom = first;
            out[x] = aggregates.copy(running);
        }
    }

    /** Merges panes {@code [blockEnd, windows[x] + P)} into {@code out[x]}, for x in [from, to). */
    private void prefixes(Panes panes, long[] windows, int from, int to, long blockEnd, Object[][] out) {
        Object[] running = null;
        int absorbedTo = panes.firstAtOrAfter(blockEnd);
        for (int x = from; x < to; x++) {
            int end = panes.firstAtOrAfter(windows[x] + geometry.panesPerWindow);
            if (end <= absorbedTo && running == null) {
                continue;
            }
            if (running == null) {
                running = aggregates.zero();
            }
            for (int k = absorbedTo; k < end; k++) {
                running = aggregates.merge(running, panes.accs[k]);
            }
            absorbedTo = Math.max(absorbedTo, end);
            out[x] = aggregates.merge(out[x], running);
        }
    }

    /** The panes as parallel sorted arrays, for index arithmetic instead of map views. */
    private static final class Panes {
        final long[] index;
        final Object[][] accs;

        Panes(NavigableMap<Long, Object[]> map) {
            index = new long[map.size()];
            accs = new Object[map.size()][];
            int i = 0;
            for (Map.Entry<Long, Object[]> e : map.entrySet()) {
                index[i] = e.getKey();
                accs[i++] = e.getValue();
            }
        }

        /** The position of the first pane with index {@code >= pane} ({@code length} if none). */
        int firstAtOrAfter(long pane) {
            int lo = 0;
            int hi = index.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (index[mid] < pane) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
