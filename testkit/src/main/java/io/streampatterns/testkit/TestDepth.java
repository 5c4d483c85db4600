package io.streampatterns.testkit;

import java.util.List;

/**
 * How deep the randomized and crash tests go. CI runs the short mode (a few seeds, a few kill points) to stay within
 * its time budget; {@code STREAMPATTERNS_LONG=1 scripts/test.sh} (or {@code -Dstreampatterns.long=true}) runs the
 * long mode: every seed and kill point the tests define, for a change to a pattern's core or before a release.
 */
public final class TestDepth {
    private TestDepth() {
    }

    public static boolean isLong() {
        return Boolean.getBoolean("streampatterns.long") || "1".equals(System.getenv("STREAMPATTERNS_LONG"));
    }

    /** {@code shortMode} in CI, {@code longMode} in the long mode. */
    public static int of(int shortMode, int longMode) {
        if (shortMode < 1 || longMode < shortMode) {
            throw new IllegalArgumentException("need 1 <= short <= long, got " + shortMode + ", " + longMode);
        }
        return isLong() ? longMode : shortMode;
    }

    /** Every element in the long mode; in the short mode the first and the last (the extremes of a run). */
    public static <T> List<T> firstAndLast(List<T> all) {
        if (isLong() || all.size() <= 2) {
            return all;
        }
        return List.of(all.get(0), all.get(all.size() - 1));
    }
}
