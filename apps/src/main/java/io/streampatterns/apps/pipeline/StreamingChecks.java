package io.streampatterns.apps.pipeline;

import org.apache.spark.sql.catalyst.analysis.UnsupportedOperationChecker;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Deduplicate;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.streaming.OutputMode;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.List;

/**
 * The streaming traps of a flow, found on its analysed plan before any query starts (what SDP's dry run does not
 * check): a stateful operator (aggregation, distinct, dedup, stream-stream join) on a stream without a watermark; an
 * aggregation whose keys hold no watermarked column, so its state is never evicted (among others a window over a
 * column other than the watermark's, or over the column from before the watermark, SPARK-30553); and whatever Spark's
 * own {@code UnsupportedOperationChecker} rejects for the output mode the runner writes with (a sort on a stream, an
 * outer join without a time bound, an aggregation without watermark in append mode).
 */
final class StreamingChecks {
    /** The metadata key Spark puts on the event-time column of a watermark ({@code EventTimeWatermark.delayKey}). */
    private static final String DELAY_KEY = "spark.watermarkDelayMs";
    private static final String WATERMARK_FIX = "declare the event time where the stream is read: FROM STREAM(x) WATERMARK col DELAY OF INTERVAL 10 MINUTES";

    private StreamingChecks() {
    }

    /** The problems of {@code plan} (analysed, streaming) written with {@code mode}, each at {@code file:line}. */
    static List<Problem> check(LogicalPlan plan, OutputMode mode, String file, int line) {
        List<Problem> out = new ArrayList<>();
        stateful(plan, file, line, out);
        try {
            UnsupportedOperationChecker.checkForStreaming(plan, mode);
        } catch (Exception e) {
            String message = SdpGraph.firstSentence(e.getMessage());
            boolean known = !out.isEmpty() && message.contains("without watermark");
            if (!known) {
                out.add(new Problem(file, line, "Spark cannot run this in " + mode + " mode: " + message,
                        "change the query (streaming tables are written in append mode)"));
            }
        }
        return out;
    }

    private static void stateful(LogicalPlan node, String file, int line, List<Problem> out) {
        for (LogicalPlan child : CollectionConverters.asJava(node.children())) {
            stateful(child, file, line, out);
        }
        if (!node.isStreaming()) {
            return;
        }
        if (node instanceof Aggregate a) {
            aggregation(a, file, line, out);
        } else if ((node instanceof Distinct || node instanceof Deduplicate) && watermarked(node.children().head()).isEmpty()) {
            out.add(new Problem(file, line, "DISTINCT / dedup on a stream without a watermark: its state grows forever", WATERMARK_FIX));
        } else if (node instanceof Join j && j.left().isStreaming() && j.right().isStreaming()
                && watermarked(j.left()).isEmpty() && watermarked(j.right()).isEmpty()) {
            out.add(new Problem(file, line, "stream-stream join without a watermark on either side: both sides stay in state forever",
                    WATERMARK_FIX + ", on both sides, and bound the join by time"));
        }
    }

    private static void aggregation(Aggregate a, String file, int line, List<Problem> out) {
        List<String> watermarked = watermarked(a.child());
        if (watermarked.isEmpty()) {
            out.add(new Problem(file, line, "aggregation on a stream without a watermark: its state grows forever", WATERMARK_FIX));
            return;
        }
        for (Expression key : CollectionConverters.asJava(a.groupingExpressions())) {
            for (Attribute ref : CollectionConverters.asJava(key.references().toSeq())) {
                if (ref.metadata().contains(DELAY_KEY)) {
                    return;
                }
            }
        }
        out.add(new Problem(file, line, "the aggregation groups by no watermarked column, so Spark never evicts its state"
                + " (e.g. a window over another column than the watermark's, or over the column from before the watermark, SPARK-30553)",
                "group by window(" + watermarked.get(0) + ", ...) or by " + watermarked.get(0) + ", the column of the WATERMARK clause"));
    }

    /** Names of the output columns of {@code plan} that carry a watermark. */
    private static List<String> watermarked(LogicalPlan plan) {
        List<String> out = new ArrayList<>();
        for (Attribute a : CollectionConverters.asJava(plan.output())) {
            if (a.metadata().contains(DELAY_KEY)) {
                out.add(a.name());
            }
        }
        return out;
    }
}
