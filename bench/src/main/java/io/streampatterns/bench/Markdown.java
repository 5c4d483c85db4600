package io.streampatterns.bench;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** The results as the Markdown the README includes: the machine, the date and mode, then one row per entry. */
final class Markdown {
    private Markdown() {
    }

    /** Load average over the last minute, or -1 where the system does not tell. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String of(List<BenchResult> results, boolean quick, int repeat, double loadAtStart) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s run of %s, %d repetition%s per side (medians; min-max in brackets). "
                        + "Machine: %d cores, Java %s, load average %.1f at start.%n%n",
                quick ? "Quick (`--quick`)" : "Full-size", LocalDate.now(ZoneOffset.UTC), repeat, repeat == 1 ? "" : "s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.specification.version"), loadAtStart));
        b.append("| entry | ours ev/s | baseline ev/s | ratio | CPU s ours / baseline | agree | notes |\n");
        b.append("|---|---:|---:|---:|---:|---|---|\n");
        for (BenchResult r : results) {
            if (r.failed()) {
                b.append(String.format(Locale.ROOT, "| `%s` | | | | | | **failed**: %s |%n", r.name(), r.error().replace("|", "\\|")));
                continue;
            }
            SideFigures ours = r.side(r.sideNames().get(0));
            SideFigures base = r.sideNames().size() > 1 ? r.side(r.sideNames().get(1)) : null;
            b.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s | %s |%n", r.name(),
                    eps(ours), base == null ? "—" : eps(base),
                    base == null ? "—" : String.format(Locale.ROOT, "**%.2f** (%.2f-%.2f)", r.ratio(), r.ratioMin(), r.ratioMax()),
                    base == null ? String.format(Locale.ROOT, "%.1f", ours.medianCpuSeconds())
                            : String.format(Locale.ROOT, "%.1f / %.1f", ours.medianCpuSeconds(), base.medianCpuSeconds()),
                    r.agree() == null ? "n/a" : r.agree() ? "yes" : "**NO**", notes(r)));
        }
        return b.toString();
    }

    private static String eps(SideFigures f) {
        return String.format(Locale.ROOT, "%,d", Math.round(f.medianEps()));
    }

    /** Whole numbers with thousands separators, like the rates; anything else as it is. */
    private static String value(Object v) {
        return v instanceof Long || v instanceof Integer ? String.format(Locale.ROOT, "%,d", v) : String.valueOf(v);
    }

    /** Other sides' medians, then the entry's own figures marked for the table ({@code note_...}). */
    private static String notes(BenchResult r) {
        StringBuilder b = new StringBuilder();
        List<String> names = r.sideNames();
        for (int i = 2; i < names.size(); i++) {
            SideFigures f = r.side(names.get(i));
            b.append(String.format(Locale.ROOT, "%s %,d ev/s (%.1f CPU s); ", names.get(i), Math.round(f.medianEps()),
                    f.medianCpuSeconds()));
        }
        r.extra().forEach((k, v) -> {
            if (k.startsWith("note_")) {
                b.append(k.substring(5).replace('_', ' ')).append(' ').append(value(v)).append("; ");
            }
        });
        String s = b.toString().trim().replace("|", "\\|");
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}
