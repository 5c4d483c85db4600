package io.streampatterns.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Alert rules from a YAML file:
 *
 * <pre>
 * rules:
 *   - name: high-5xx-rate
 *     when: errors_5xx / requests &gt; 0.05     # Spark SQL over the interval's columns
 *     for: 3m                                # optional, default: fires on the first interval
 *     severity: critical                     # optional, default: warning
 *     where: endpoint = '*'                  # optional key condition, default: every series
 *     value: errors_5xx / requests           # optional value reported with the alert
 * </pre>
 *
 * Unknown fields are errors (a typo must not silently disable a rule).
 */
public final class AlertRules {
    private static final Set<String> FIELDS = Set.of("name", "when", "for", "severity", "where", "value");

    private AlertRules() {
    }

    public static List<AlertRule> load(Path file) {
        ConfigException.check(Files.isRegularFile(file), "alert rules file does not exist: " + file);
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read alert rules file " + file + ": " + e.getMessage());
        }
    }

    /** The rules in {@code yaml}; {@code origin} names it in error messages. */
    public static List<AlertRule> parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(origin + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        ConfigException.check(root != null && root.path("rules").isArray() && !root.path("rules").isEmpty(),
                origin + ": expected a non-empty list 'rules:'");
        List<AlertRule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root.path("rules")) {
            i++;
            String at = origin + ": rule " + i;
            ConfigException.check(n.isObject(), at + ": expected name/when/for/... fields");
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                ConfigException.check(FIELDS.contains(f), at + ": unknown field '" + f + "' (use " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
            AlertRule r = AlertRule.when(text(n, "name", at), text(n, "when", at));
            if (n.has("for")) {
                r = r.holdsFor(Durations.parse(text(n, "for", at), at + " 'for'"));
            }
            if (n.has("severity")) {
                r = r.severity(text(n, "severity", at));
            }
            if (n.has("where")) {
                r = r.appliesTo(text(n, "where", at));
            }
            if (n.has("value")) {
                r = r.value(text(n, "value", at));
            }
            rules.add(r);
        }
        return rules;
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        ConfigException.check(v != null && v.isValueNode() && !v.asText().isBlank(), at + ": '" + field + "' is required");
        return v.asText();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
