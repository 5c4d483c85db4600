package io.streampatterns.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README table of results: one row per entry, medians, ratio with min-max, agreement, other sides and notes. */
class MarkdownTest {
    private static Side side(String name, double[] eps, String digest) {
        return Side.of(name, rep -> Measured.of(1_000, () -> null).per(1_000 / eps[rep]).digest(digest));
    }

    @Test
    void rowsShowMediansRatioRangeAgreementOtherSidesAndNotes() throws Exception {
        Plan plan = Plan.of(side("ours", new double[] {3_000, 1_000}, "d"), side("native", new double[] {1_000, 1_000}, "d"),
                side("tumbling", new double[] {2_000, 2_000}, "t")).agreeing("native").figures(runs -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("events", 1_000);
                    f.put("note_sessions", 42_040L);
                    f.put("note_state_rows", "5,000 vs 9|9");
                    return f;
                });
        BenchResult ok = Protocol.run("sliding", plan, 2);
        BenchResult single = Protocol.run("ceiling", Plan.single(side("jackson", new double[] {300_000}, null)), 1);
        assertTrue(Markdown.of(List.of(single), false, 1, 0).startsWith("Full-size run of "));
        assertTrue(Markdown.of(List.of(single), false, 1, 0).contains(", 1 repetition per side"));
        BenchResult failed = BenchResult.failed("jdbc", new IllegalStateException("no | server"));
        String md = Markdown.of(List.of(ok, single, failed), true, 2, 1.5);
        String[] lines = md.split("\n");
        assertTrue(lines[0].startsWith("Quick (`--quick`) run of "), lines[0]);
        assertTrue(lines[0].contains("2 repetitions per side") && lines[0].contains("load average 1.5 at start"), lines[0]);
        assertEquals("| entry | ours ev/s | baseline ev/s | ratio | CPU s ours / baseline | agree | notes |", lines[2]);
        assertTrue(lines[4].startsWith("| `sliding` | 2,000 | 1,000 | **2.00** (1.00-3.00) | "), lines[4]);
        assertTrue(lines[4].matches(".* \\| yes \\| tumbling 2,000 ev/s \\(\\d+\\.\\d CPU s\\); sessions 42,040; state rows 5,000 vs 9\\\\\\|9 \\|"),
                lines[4]);
        assertTrue(lines[5].startsWith("| `ceiling` | 300,000 | — | — | "), lines[5]);
        assertTrue(lines[5].endsWith(" | n/a |  |"), lines[5]);
        assertEquals("| `jdbc` | | | | | | **failed**: IllegalStateException: no \\| server |", lines[6]);
        assertEquals(7, lines.length);
    }

    @Test
    void consoleTableShowsADashWhereASingleSideEntryHasNoBaselineNorRatio() throws Exception {
        BenchResult single = Protocol.run("ceiling", Plan.single(side("jackson", new double[] {300_000}, "d")), 1);
        String row = BenchCommand.table(List.of(single)).split("\n")[1];
        assertTrue(row.matches("ceiling +300000 +- +- +yes  \\{\\}"), row);
    }
}
