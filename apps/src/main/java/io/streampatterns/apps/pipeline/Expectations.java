package io.streampatterns.apps.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * A table's expectations applied to its rows, in plain Spark: the violations of every expectation counted on all rows
 * ({@code observe}: metric {@code expectations:<table>}, one count per constraint plus {@code rows}, in the query's
 * progress); then {@code FAIL UPDATE} fails the micro-batch (and so the query, which restarts from its checkpoint)
 * on its first violating row; {@code DROP ROW} filters; {@code QUARANTINE} marks the row with the name of the first
 * quarantining constraint it violates ({@link #REASON}), which the table's sink routes to {@code <table>_quarantine}.
 */
final class Expectations {
    /** Column of the marked rows, {@code reason} in the quarantine table. */
    static final String REASON = "__expectation_violated";

    private Expectations() {
    }

    static String metricName(String table) {
        return "expectations:" + table;
    }

    static boolean quarantines(List<Expectation> expectations) {
        return expectations.stream().anyMatch(e -> e.action() == Expectation.Action.QUARANTINE);
    }

    static Dataset<Row> apply(Dataset<Row> rows, List<Expectation> expectations, String table) {
        if (expectations.isEmpty()) {
            return rows;
        }
        List<Column> counts = new ArrayList<>();
        for (Expectation e : expectations) {
            counts.add(sum(when(violated(e), 1L).otherwise(0L)).as(e.name()));
        }
        Dataset<Row> out = rows.observe(metricName(table), count(lit(1)).as("rows"), counts.toArray(new Column[0]));
        List<Column> reasons = new ArrayList<>();
        for (Expectation e : expectations) {
            switch (e.action()) {
                case FAIL_UPDATE -> out = out.filter(when(violated(e), raise_error(lit("expectation " + e.name()
                        + " failed (ON VIOLATION FAIL UPDATE): " + e.condition()))).isNull());
                case DROP_ROW -> out = out.filter(violated(e).unary_$bang());
                case QUARANTINE -> reasons.add(when(violated(e), lit(e.name())));
                case WARN -> { }
            }
        }
        if (!reasons.isEmpty()) {
            out = out.withColumn(REASON, reasons.size() == 1 ? reasons.get(0) : coalesce(reasons.toArray(new Column[0])));
        }
        return out;
    }

    /** True when the condition is not true (false or null). */
    private static Column violated(Expectation e) {
        return coalesce(expr(e.condition()), lit(false)).unary_$bang();
    }
}
