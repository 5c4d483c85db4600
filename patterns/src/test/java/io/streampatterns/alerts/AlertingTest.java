package io.streampatterns.alerts;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted per-minute series (endpoint, minute, requests, 5xx errors); rows may be 2 min late (the default). */
class AlertingTest {
    static final StructType SERIES = new StructType()
            .add("endpoint", DataTypes.StringType)
            .add("window_start", DataTypes.TimestampType)
            .add("requests", DataTypes.LongType)
            .add("errors_5xx", DataTypes.LongType);
    static final String RULES = """
            rules:
              - name: high-5xx-rate
                when: try_divide(errors_5xx, requests) > 0.05
                for: 3m
                severity: critical
                value: try_divide(errors_5xx, requests)
              - name: no-traffic
                when: requests = 0
                for: 5m
                where: endpoint = '*'
            """;

    /** Interval starts, rows up to two intervals late. */
    static final EventTime WINDOW_START = EventTime.of("window_start", Duration.ofMinutes(2));

    static AlertOptions options() {
        return AlertOptions.of(List.of("endpoint"), WINDOW_START, Duration.ofMinutes(1), AlertRules.parse(RULES, "test"))
                .emptyIntervalHas(Map.of("requests", 0L, "errors_5xx", 0L));
    }

    static StreamScenario scenario() {
        AlertOptions o = options();
        return StreamScenario.of(TestSpark.get(), SERIES, df -> Alerting.of(o).apply(df)).mode("append").start();
    }

    static Row minute(String endpoint, String hhmm, long requests, long errors) {
        return row(endpoint, ts("2024-05-01T" + hhmm + ":00Z"), requests, errors);
    }

    /** Alert rows as "endpoint rule state HH:mm since HH:mm value". */
    static List<String> show(List<Row> rows) {
        return rows.stream().map(r -> r.getAs("endpoint") + " " + r.getAs("rule") + " " + r.getAs("state") + " "
                        + r.getAs("severity") + " " + hhmm(r.getAs("at")) + " since " + hhmm(r.getAs("since")) + " " + r.getAs("value"))
                .sorted().collect(Collectors.toList());
    }

    static String hhmm(Object timestamp) {
        return ((java.sql.Timestamp) timestamp).toInstant().toString().substring(11, 16);
    }

    @Test
    void errorRateAboveThresholdForThreeMinutesFiresOnceAndResolvesOnce() {
        try (StreamScenario s = scenario()) {
            assertEquals(List.of(), show(s.send(minute("/api", "10:00", 100, 10), minute("/api", "10:01", 100, 10)).rows()));
            assertEquals(List.of("/api high-5xx-rate firing critical 10:03 since 10:00 0.06"),
                    show(s.send(minute("/api", "10:02", 100, 6)).rows()));
            assertEquals(List.of(), show(s.send(minute("/api", "10:03", 100, 10)).rows()), "still firing: no new event");
            Step resolved = s.send(minute("/api", "10:04", 100, 1));
            assertEquals(List.of("/api high-5xx-rate resolved critical 10:05 since 10:00 0.01"), show(resolved.rows()));
            assertEquals(0, resolved.stateRows(), "a quiet series no rule watches for absence is removed from state");
        }
    }

    @Test
    void streakBrokenByOneGoodMinuteDoesNotFire() {
        try (StreamScenario s = scenario()) {
            s.send(minute("/api", "10:00", 10, 5), minute("/api", "10:01", 10, 5));
            assertEquals(List.of(), show(s.send(minute("/api", "10:02", 10, 0), minute("/api", "10:03", 10, 5),
                    minute("/api", "10:04", 10, 5)).rows()));
            assertEquals(List.of("/api high-5xx-rate firing critical 10:06 since 10:03 0.5"),
                    show(s.send(minute("/api", "10:05", 10, 5)).rows()));
        }
    }

    @Test
    void noTrafficFiresWhenTheWatermarkPassesFiveEmptyMinutesAndResolvesWithTraffic() {
        try (StreamScenario s = scenario()) {
            s.send(minute("*", "10:00", 5, 0), minute("x", "10:00", 1, 0));
            List<Row> other = new ArrayList<>();
            for (int m = 1; m <= 9; m++) {
                other.add(minute("x", "10:0" + m, 1, 0));
            }
            Step quiet = s.send(other);
            assertEquals("2024-05-01T10:07:00.000Z", quiet.watermark());
            assertEquals(List.of("* no-traffic firing warning 10:06 since 10:01 null"), show(quiet.rows()),
                    "minutes 10:01-10:05 of '*' had no row: evaluated as empty once the watermark passed them");
            Step back = s.send(minute("*", "10:10", 3, 0));
            assertEquals(List.of("* no-traffic resolved warning 10:11 since 10:01 null"), show(back.rows()));
            assertEquals(1, back.stateRows(), "'*' stays in state: its absence is watched; quiet 'x' is removed");
        }
    }

    @Test
    void rowBehindTheLastEvaluatedMinuteIsIgnoredAndCounted() {
        try (StreamScenario s = scenario()) {
            s.send(minute("*", "10:00", 10, 5), minute("*", "10:01", 10, 5), minute("*", "10:02", 10, 0));
            Step late = s.send(minute("*", "10:01", 10, 9));
            assertEquals(List.of(), show(late.rows()));
            assertEquals(1, late.observed("alerts", "late_rows"));
        }
    }

    @Test
    void ruleWithBadSqlIsAConfigurationErrorNamingIt() {
        AlertOptions bad = AlertOptions.of(List.of("endpoint"), WINDOW_START, Duration.ofMinutes(1),
                AlertRules.parse("rules:\n  - name: typo\n    when: errorz > 1\n", "rules.yaml"));
        ConfigException e = assertThrows(ConfigException.class, () -> StreamScenario.of(TestSpark.get(), SERIES,
                df -> Alerting.of(bad).apply(df)).mode("append").start());
        assertTrue(e.getMessage().startsWith("alert rule 'typo': "), e.getMessage());
    }

    @Test
    void plainDivisionThatFailsOnAnEmptyIntervalIsRejectedWithAHint() {
        AlertOptions bad = AlertOptions.of(List.of("endpoint"), WINDOW_START, Duration.ofMinutes(1),
                AlertRules.parse("rules:\n  - name: ratio\n    when: errors_5xx / requests > 0.1\n", "rules.yaml"))
                .emptyIntervalHas(Map.of("requests", 0L, "errors_5xx", 0L));
        ConfigException e = assertThrows(ConfigException.class, () -> StreamScenario.of(TestSpark.get(), SERIES,
                df -> Alerting.of(bad).apply(df)).mode("append").start());
        assertTrue(e.getMessage().contains("try_divide(a, b)"), e.getMessage());
    }

    @Test
    void rulesFileErrorsAreOneLineConfigurationErrors() {
        assertEquals("r.yaml: rule 1: unknown field 'fro' (use for, name, severity, value, when, where)",
                assertThrows(ConfigException.class, () -> AlertRules.parse("rules:\n  - {name: a, when: x > 1, fro: 3m}\n", "r.yaml")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> AlertRules.parse("rules:\n  - {name: a, when: x > 1, for: soon}\n", "r.yaml"))
                .getMessage().contains("'for'"));
        assertEquals("r.yaml: expected a non-empty list 'rules:'",
                assertThrows(ConfigException.class, () -> AlertRules.parse("rule: []\n", "r.yaml")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> AlertOptions.of(List.of("endpoint"), WINDOW_START,
                Duration.ofMinutes(1), AlertRules.parse("rules:\n  - {name: a, when: x > 1, for: 90s}\n", "r.yaml")))
                .getMessage().contains("whole number of intervals"));
    }
}
