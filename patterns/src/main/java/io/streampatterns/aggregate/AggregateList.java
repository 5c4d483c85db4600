package io.streampatterns.aggregate;

import io.streampatterns.core.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@link Aggregates} written as text, for pipeline files and command options: a comma-separated list of
 * {@code function(arguments) [as name]}, e.g.
 * {@code count as requests, sum(size) as bytes, quantiles(latency_ms, 0.5, 0.99) as latency_, distinct(client)}.
 *
 * <table>
 *   <caption>Functions and what {@code as} names</caption>
 *   <tr><th>text</th><th>aggregate</th><th>{@code as}</th></tr>
 *   <tr><td>{@code count} or {@code count()}</td><td>{@link Aggregates#count()}</td><td>the column</td></tr>
 *   <tr><td>{@code sum(col)}</td><td>{@link Aggregates#sum(String)}</td><td>the column</td></tr>
 *   <tr><td>{@code first(col)}, {@code last(col)}, {@code first_non_null(col)}, {@code last_non_null(col)}</td>
 *       <td>{@link Aggregates#first}, ...</td><td>the column (required)</td></tr>
 *   <tr><td>{@code stats(col)}, {@code distinct(col)}, {@code quantiles(col, rank, ...)}</td>
 *       <td>{@link Aggregates#stats}, ...</td><td>the prefix of its columns</td></tr>
 * </table>
 */
public final class AggregateList {
    private static final Pattern ITEM = Pattern.compile(
            "(?i)^\\s*([a-z_]+)\\s*(?:\\(([^()]*)\\))?\\s*(?:\\bas\\s+([A-Za-z_][A-Za-z0-9_]*))?\\s*$");

    private AggregateList() {
    }

    /** The aggregates {@code text} lists, in order; a {@link ConfigException} names the item that is wrong. */
    public static List<Aggregate<?>> parse(String text) {
        ConfigException.check(text != null && !text.isBlank(), "aggregates: give at least one, e.g. 'count, sum(bytes)'");
        List<Aggregate<?>> out = new ArrayList<>();
        for (String item : items(text)) {
            out.add(one(item));
        }
        return List.copyOf(out);
    }

    /** Splits at the commas outside parentheses. */
    private static List<String> items(String text) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            ConfigException.check(depth >= 0 && depth <= 1, "aggregates: unbalanced parentheses in '" + text + "'");
            if (c == ',' && depth == 0) {
                items.add(text.substring(start, i));
                start = i + 1;
            }
        }
        ConfigException.check(depth == 0, "aggregates: unbalanced parentheses in '" + text + "'");
        items.add(text.substring(start));
        return items;
    }

    private static Aggregate<?> one(String item) {
        Matcher m = ITEM.matcher(item);
        ConfigException.check(m.matches(), "aggregates: cannot read '" + item.strip()
                + "' (write function(column) [as name], e.g. sum(bytes) as total_bytes)");
        String function = m.group(1).toLowerCase(Locale.ROOT);
        List<String> args = m.group(2) == null || m.group(2).isBlank() ? List.of() : arguments(m.group(2));
        String as = m.group(3);
        String what = "aggregates: " + item.strip();
        return switch (function) {
            case "count" -> {
                ConfigException.check(args.isEmpty(), what + ": count takes no column");
                yield as == null ? Aggregates.count() : Aggregates.count(as);
            }
            case "sum" -> as == null ? Aggregates.sum(column(args, what)) : Aggregates.sum(column(args, what), as);
            case "stats" -> Aggregates.stats(column(args, what), prefix(as));
            case "distinct" -> Aggregates.distinct(column(args, what), prefix(as));
            case "quantiles" -> Aggregates.quantiles(first(args, what), prefix(as), ranks(args, what));
            case "first" -> Aggregates.first(column(args, what), named(as, what));
            case "last" -> Aggregates.last(column(args, what), named(as, what));
            case "first_non_null" -> Aggregates.firstNonNull(column(args, what), named(as, what));
            case "last_non_null" -> Aggregates.lastNonNull(column(args, what), named(as, what));
            default -> throw new ConfigException(what + ": unknown function '" + function
                    + "' (count, sum, stats, distinct, quantiles, first, last, first_non_null, last_non_null)");
        };
    }

    private static List<String> arguments(String text) {
        return java.util.Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    private static String column(List<String> args, String what) {
        ConfigException.check(args.size() == 1, what + ": give exactly one column");
        return first(args, what);
    }

    private static String first(List<String> args, String what) {
        ConfigException.check(!args.isEmpty() && !args.get(0).isEmpty(), what + ": give a column");
        return args.get(0);
    }

    private static double[] ranks(List<String> args, String what) {
        ConfigException.check(args.size() >= 2, what + ": give the column and at least one rank, e.g. quantiles(latency, 0.5, 0.99)");
        double[] ranks = new double[args.size() - 1];
        for (int i = 1; i < args.size(); i++) {
            try {
                ranks[i - 1] = Double.parseDouble(args.get(i));
            } catch (NumberFormatException e) {
                throw new ConfigException(what + ": rank '" + args.get(i) + "' is not a number");
            }
        }
        return ranks;
    }

    private static String named(String as, String what) {
        ConfigException.check(as != null, what + ": name its column with 'as NAME'");
        return as;
    }

    private static String prefix(String as) {
        return as == null ? "" : as;
    }
}
