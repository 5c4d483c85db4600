package io.streampatterns.windows;

import java.io.Serializable;
import java.util.NavigableSet;

/**
 * Window arithmetic in pane units. Pane {@code i} covers {@code [i*pane, (i+1)*pane)} ms; a window is named by
 * the index {@code a} of its first pane ({@code a} a multiple of {@link #panesPerSlide}) and covers panes
 * {@code [a, a + panesPerWindow)}.
 */
final class PaneGeometry implements Serializable {
    private static final long serialVersionUID = 1L;

    final long paneMs;
    /** k: windows start every k panes. */
    final long panesPerSlide;
    /** P: a window is P panes long. */
    final long panesPerWindow;

    PaneGeometry(SlidingWindow w) {
        this(w, w.paneMs());
    }

    /** {@code w} cut into panes of {@code paneMs}, a divisor of its pane (several windows sharing one pane size). */
    PaneGeometry(SlidingWindow w, long paneMs) {
        if (w.paneMs() % paneMs != 0) {
            throw new IllegalArgumentException("pane " + paneMs + " ms does not divide " + w);
        }
        this.paneMs = paneMs;
        this.panesPerSlide = w.slideMs() / paneMs;
        this.panesPerWindow = w.sizeMs() / paneMs;
    }

    long paneOf(long eventMs) {
        return Math.floorDiv(eventMs, paneMs);
    }

    long startMs(long window) {
        return window * paneMs;
    }

    long endMs(long window) {
        return (window + panesPerWindow) * paneMs;
    }

    /** The first window containing pane {@code i}. */
    long firstWindow(long i) {
        return (Math.floorDiv(i - panesPerWindow, panesPerSlide) + 1) * panesPerSlide;
    }

    /** The last window containing pane {@code i}. */
    long lastWindow(long i) {
        return Math.floorDiv(i, panesPerSlide) * panesPerSlide;
    }

    /** The first window whose end is after {@code ms}. */
    long firstWindowEndingAfter(long ms) {
        long minStart = Math.floorDiv(ms, paneMs) + 1 - panesPerWindow;
        return Math.floorDiv(minStart + panesPerSlide - 1, panesPerSlide) * panesPerSlide;
    }

    /** The last window whose end is at or before {@code ms}. */
    long lastWindowEndingBy(long ms) {
        return firstWindowEndingAfter(ms) - panesPerSlide;
    }

    /** When the last window containing pane {@code i} ends: once the watermark reaches it, the pane is dead. */
    long closesAtMs(long i) {
        return endMs(lastWindow(i));
    }

    /**
     * Windows in {@code [from, to]} that contain at least one of {@code panes}, ascending. Cost is proportional to
     * the windows returned plus the panes, however sparse the panes are.
     */
    long[] windowsTouching(NavigableSet<Long> panes, long from, long to) {
        LongList out = new LongList();
        if (from > to) {
            return out.toArray();
        }
        long next = from;
        for (long i : panes.subSet(from, true, to + panesPerWindow - 1, true)) {
            long a = Math.max(next, firstWindow(i));
            long last = Math.min(to, lastWindow(i));
            for (; a <= last; a += panesPerSlide) {
                out.add(a);
            }
            next = Math.max(next, a);
        }
        return out.toArray();
    }

    /** A growable list of primitive longs. */
    static final class LongList {
        private long[] items = new long[16];
        private int size;

        void add(long v) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(items, size);
        }
    }
}
