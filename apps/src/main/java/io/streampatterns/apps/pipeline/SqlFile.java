package io.streampatterns.apps.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL file of a pipeline, prepared for Spark's parser: comments blanked, {@code ${key}} replaced by the pipeline's
 * configuration, our expectation clauses taken out of the table definitions, and cut into statements at top-level
 * semicolons. Every change keeps each remaining character at its line, so the lines Spark and SDP report in the
 * prepared text are the lines of the file.
 */
public final class SqlFile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?is)\\A\\s*CREATE\\s+(?:OR\\s+REFRESH\\s+)?STREAMING\\s+TABLE\\s+(?:`[^`]*`|[\\w.]+)\\s*\\(");
    private static final Pattern EXPECT = Pattern.compile("(?is)\\A\\s*CONSTRAINT\\s+(\\w+)\\s+EXPECT\\s*\\((.*)\\)"
            + "\\s*(?:ON\\s+VIOLATION\\s+(DROP\\s+ROW|FAIL\\s+UPDATE|QUARANTINE))?\\s*\\z");
    private static final Pattern BAD_EXPECT = Pattern.compile("(?is)\\A\\s*CONSTRAINT\\s+\\w+\\s+EXPECT\\b");

    private final String path;
    private final String text;
    private final List<Statement> statements;
    private final List<Problem> problems;

    /** A statement: its prepared text (from its first token), the file line of that token, its expectations. */
    public record Statement(String text, int line, List<Expectation> expectations) {
    }

    private SqlFile(String path, String text, List<Statement> statements, List<Problem> problems) {
        this.path = path;
        this.text = text;
        this.statements = statements;
        this.problems = problems;
    }

    /** Prepares {@code source} (the file at {@code path}) with the pipeline's {@code configuration}. */
    public static SqlFile parse(String path, String source, Map<String, String> configuration) {
        List<Problem> problems = new ArrayList<>();
        char[] c = blankComments(source).toCharArray();
        String substituted = substitute(path, new String(c), configuration, problems);
        List<Statement> statements = new ArrayList<>();
        StringBuilder prepared = new StringBuilder(substituted);
        for (int[] range : split(substituted)) {
            String stmt = substituted.substring(range[0], range[1]);
            if (stmt.isBlank()) {
                continue;
            }
            int lead = stmt.length() - stmt.stripLeading().length();
            int start = range[0] + lead;
            int line = lineAt(substituted, start);
            List<Expectation> expectations = new ArrayList<>();
            String cleaned = stripExpectations(path, stmt.substring(lead).stripTrailing(), line, expectations, problems);
            prepared.replace(start, start + cleaned.length(), cleaned);
            statements.add(new Statement(cleaned, line, List.copyOf(expectations)));
        }
        return new SqlFile(path, prepared.toString(), List.copyOf(statements), List.copyOf(problems));
    }

    public String path() {
        return path;
    }

    /** The whole prepared file (same lines as the file). */
    public String text() {
        return text;
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Unknown configuration keys and expectation clauses that do not parse. */
    public List<Problem> problems() {
        return problems;
    }

    /** The prepared file with the statements at {@code lines} replaced by blanks (same lines, semicolons kept). */
    public String without(java.util.Set<Integer> lines) {
        StringBuilder b = new StringBuilder(text);
        for (int[] range : split(text)) {
            String stmt = text.substring(range[0], range[1]);
            int start = range[0] + (stmt.length() - stmt.stripLeading().length());
            if (!stmt.isBlank() && lines.contains(lineAt(text, start))) {
                for (int i = range[0]; i < range[1]; i++) {
                    if (b.charAt(i) != '\n') {
                        b.setCharAt(i, ' ');
                    }
                }
            }
        }
        return b.toString();
    }

    static int lineAt(String s, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** {@code --} and block comments replaced by spaces (newlines kept); quoted text untouched. */
    static String blankComments(String s) {
        StringBuilder b = new StringBuilder(s);
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '-' && s.startsWith("--", i)) {
                int end = s.indexOf('\n', i);
                i = blank(b, i, end < 0 ? s.length() : end) - 1;
            } else if (ch == '/' && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = blank(b, i, end < 0 ? s.length() : end + 2) - 1;
            }
        }
        return b.toString();
    }

    private static int blank(StringBuilder b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b.charAt(i) != '\n') {
                b.setCharAt(i, ' ');
            }
        }
        return to;
    }

    /** [start, end) of each statement, cut at semicolons outside quotes (comments are already blank). */
    static List<int[]> split(String s) {
        List<int[]> out = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == ';') {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        out.add(new int[] {start, s.length()});
        return out;
    }

    private static String substitute(String path, String s, Map<String, String> configuration, List<Problem> problems) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = configuration.get(m.group(1));
            if (value == null || value.contains("\n")) {
                problems.add(new Problem(path, lineAt(s, m.start()), "unknown configuration key '" + m.group(1) + "'",
                        "add it under 'configuration:' in the spec or pass --conf " + m.group(1) + "=VALUE"));
                value = m.group();
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * The statement without its {@code CONSTRAINT ... EXPECT} elements (blanked, with their separating commas, and the
     * parentheses too when nothing else was in them); the expectations found go to {@code out}.
     */
    static String stripExpectations(String path, String stmt, int line, List<Expectation> out, List<Problem> problems) {
        Matcher head = CREATE_TABLE.matcher(stmt);
        if (!head.find()) {
            return stmt;
        }
        int open = head.end() - 1;
        int close = matching(stmt, open);
        if (close < 0) {
            return stmt;
        }
        List<int[]> elements = topLevel(stmt, open + 1, close);
        StringBuilder b = new StringBuilder(stmt);
        int kept = 0;
        for (int i = 0; i < elements.size(); i++) {
            int[] e = elements.get(i);
            String element = stmt.substring(e[0], e[1]);
            Matcher m = EXPECT.matcher(element);
            int elementLine = line + lineAt(stmt, e[0] + (element.length() - element.stripLeading().length())) - 1;
            if (m.find()) {
                out.add(new Expectation(m.group(1), m.group(2).trim(), Expectation.Action.parse(m.group(3)), elementLine));
                // the element and the comma after it (the one before it when it is the last element)
                int from = i == elements.size() - 1 && i > 0 ? elements.get(i - 1)[1] : e[0];
                int to = i == elements.size() - 1 ? e[1] : e[1] + 1;
                blank(b, from, to);
            } else {
                if (BAD_EXPECT.matcher(element).find()) {
                    problems.add(new Problem(path, elementLine, "expectation does not parse: '" + element.strip() + "'",
                            "write CONSTRAINT name EXPECT (condition) [ON VIOLATION DROP ROW | FAIL UPDATE | QUARANTINE]"));
                }
                kept++;
            }
        }
        if (kept == 0) {
            blank(b, open, close + 1);
        }
        return b.toString();
    }

    private static int matching(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** [start, end) of the comma-separated elements between {@code from} and {@code to} (nesting and quotes respected). */
    private static List<int[]> topLevel(String s, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        out.add(new int[] {start, to});
        return out;
    }
}
