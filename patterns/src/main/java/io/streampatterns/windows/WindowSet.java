package io.streampatterns.windows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows one {@link PaneWindowAggregation} computes, cut into one shared pane: the greatest common divisor of
 * every window's size and slide. Each event still lands in exactly one pane; each window of each length is
 * assembled from the same panes, so adding a window length costs no work per event.
 */
final class WindowSet implements Serializable {
    private static final long serialVersionUID = 1L;

    final long paneMs;
    final List<PaneGeometry> geometries;

    WindowSet(List<SlidingWindow> windows) {
        long pane = 0;
        for (SlidingWindow w : windows) {
            pane = gcd(pane, w.paneMs());
        }
        this.paneMs = pane;
        List<PaneGeometry> g = new ArrayList<>();
        for (SlidingWindow w : windows) {
            g.add(new PaneGeometry(w, pane));
        }
        this.geometries = List.copyOf(g);
    }

    long paneOf(long eventMs) {
        return Math.floorDiv(eventMs, paneMs);
    }

    /** When the last window of any length containing pane {@code i} ends: once the watermark reaches it, the pane is dead. */
    long closesAtMs(long i) {
        long at = Long.MIN_VALUE;
        for (PaneGeometry g : geometries) {
            at = Math.max(at, g.closesAtMs(i));
        }
        return at;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
