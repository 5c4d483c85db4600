package io.streampatterns.apps.monitor;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Column;

import java.io.Serializable;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;

/**
 * How request paths are grouped into endpoints. By default by their first path segment ({@code /images/a.png} →
 * {@code /images}; documents at the root, like {@code /favicon.ico}, → {@code /}). With explicit prefixes, each path
 * goes to the first prefix it starts with and every other path to {@code other}, which bounds the number of groups
 * (and so of state rows and chart series) whatever the traffic, e.g. scanners requesting random paths.
 */
public final class EndpointGroups implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String OTHER = "other";
    static final String NO_PATH = "(none)";

    private final List<String> prefixes;

    private EndpointGroups(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /** Groups by first path segment. */
    public static EndpointGroups firstSegment() {
        return new EndpointGroups(List.of());
    }

    /** Groups by the first matching prefix (e.g. {@code /api}, {@code /images}); other paths are {@code other}. */
    public static EndpointGroups prefixes(List<String> prefixes) {
        ConfigException.check(prefixes != null && !prefixes.isEmpty(), "--endpoints: give at least one path prefix");
        for (String p : prefixes) {
            ConfigException.check(p.startsWith("/") && !p.contains(" "), "--endpoints: a prefix starts with '/', got '" + p + "'");
        }
        return new EndpointGroups(List.copyOf(prefixes));
    }

    /** The group of {@code path} (a request path, possibly with a query string, or null). */
    public Column of(Column path) {
        Column clean = regexp_extract(path, "^([^?#]*)", 1);
        if (prefixes.isEmpty()) {
            Column first = regexp_extract(clean, "^(/[^/]+)/", 1);
            return when(path.isNull(), lit(NO_PATH)).when(first.notEqual(""), first).otherwise(lit("/"));
        }
        Column group = when(path.isNull(), lit(NO_PATH));
        for (String p : prefixes) {
            group = group.when(clean.startsWith(p), lit(p));
        }
        return group.otherwise(lit(OTHER));
    }
}
