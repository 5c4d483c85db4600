package io.streampatterns.apps.fraud;

import io.streampatterns.online.Example;
import io.streampatterns.online.Metrics;
import io.streampatterns.online.OnlineLearner;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.streampatterns.apps.fraud.FraudHarness.event;
import static io.streampatterns.apps.fraud.FraudHarness.label;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per semantic of the fraud pipeline (issue 11), on hand-made micro-batches with exact expectations. */
class FraudSemanticsTest {
    private static final String T0 = "2024-05-01T00:00:00Z";

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static double[] score(OnlineLearner l, double amount, String merchant) {
        return l.scorer().score(new double[] {amount}, new String[] {merchant});
    }

    /** Batches 0-2 of the basic story: two events, their labels with a third event, then a fourth event. */
    private static void story(FraudHarness h) throws Exception {
        h.batch(0, List.of(event("e1", T0, 100, "m1"), event("e2", "2024-05-01T00:01:00Z", 5, "m2")), List.of());
        h.batch(1, List.of(event("e3", "2024-05-01T00:02:00Z", 90, "m1")),
                List.of(label("e2", 0, "2024-05-01T03:00:00Z"), label("e1", 1, "2024-05-01T02:00:00Z")));
        h.batch(2, List.of(event("e4", "2024-05-01T00:03:00Z", 80, "m1")), List.of());
    }

    /** The learner the story's batch 1 must produce: e1 then e2 (label-time order), with the scores they got (0.5). */
    private static OnlineLearner storyModel(FraudHarness h) {
        OnlineLearner ref = h.freshLearner();
        ref.train(List.of(FraudHarness.example("e1", ms(T0), 100, "m1", 0.5, 1),
                FraudHarness.example("e2", ms("2024-05-01T00:01:00Z"), 5, "m2", 0.5, 0)));
        return ref;
    }

    @Test
    void everyEventIsScoredOnceWithTheVersionCurrentAtTheStartOfItsBatch(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        story(h);
        OnlineLearner v1 = storyModel(h);
        double[] e4 = score(v1, 80, "m1");
        assertEquals(List.of("[e1,0.5,0,0]", "[e2,0.5,0,0]", "[e3,0.5,0,1]", "[e4," + e4[0] + ",1,2]"),
                h.rows("scores", "id, score, model_version, batch_id", "id"));
        // e3 arrived with the labels of batch 1, but was scored before that batch trained: version 0
        assertEquals(List.of("[1,1,0]"), h.rows("models", "version, batch_id, parent_version", "version"));
    }

    @Test
    void theBatchThenTrainsOnItsLabelsJoinedToTheFeaturesTheEventsWereScoredWith(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        story(h);
        assertArrayEquals(storyModel(h).toBytes(), h.model(1).toBytes(), "version 1 = e1 then e2, as scored, learnt once");
        assertEquals(List.of("[e1,1,trained,0,1]", "[e2,0,trained,0,1]"),
                h.rows("labels", "id, label, outcome, scored_batch, batch_id", "id"));
    }

    @Test
    void anEventIsNeverTrainedOnBeforeItIsScoredEvenWhenItsLabelComesInTheSameBatch(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        // a label before its event: unknown, never trained (and not retried: the event has no label)
        h.batch(0, List.of(), List.of(label("e9", 1, "2024-05-01T01:00:00Z")));
        // event and label in one batch: scored first (version 0), then trained with that score
        h.batch(1, List.of(event("e9", T0, 100, "m1"), event("e8", T0, 3, "m2")), List.of(label("e8", 0, "2024-05-01T01:00:00Z")));
        assertEquals(List.of("[e8,0.5,0]", "[e9,0.5,0]"), h.rows("scores", "id, score, model_version", "id"));
        assertEquals(List.of("[e8,trained,1]", "[e9,unknown,0]"), h.rows("labels", "id, outcome, batch_id", "id"));
        OnlineLearner ref = h.freshLearner();
        ref.train(List.of(FraudHarness.example("e8", ms(T0), 3, "m2", 0.5, 0)));
        assertArrayEquals(ref.toBytes(), h.model(1).toBytes());
    }

    @Test
    void aReplayedBatchReadsTheSameVersionWritesNothingAndNeverTrainsTwice(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        story(h);
        // the crash came after batch 1 wrote everything, before Spark committed it: Spark runs batch 1 again
        h.sink = h.newSink();
        h.batch(1, List.of(event("e3", "2024-05-01T00:02:00Z", 90, "m1")),
                List.of(label("e2", 0, "2024-05-01T03:00:00Z"), label("e1", 1, "2024-05-01T02:00:00Z")));
        assertEquals(0, new ModelStore(h.spark, h.options.table("models")).forBatch(1, h.options.learner(1, 1)).version(),
                "batch 1 (and its replay) scores with version 0, although version 1 exists");
        assertEquals(4, h.table("scores").count());
        assertEquals(List.of("[1,1]"), h.rows("models", "version, batch_id", "version"));
        assertEquals(2, h.table("labels").count());
        assertArrayEquals(storyModel(h).toBytes(), h.model(1).toBytes(), "trained once");
        h.batch(3, List.of(event("e5", T0, 10, "m2")), List.of(label("e3", 1, "2024-05-02T00:00:00Z")));
        assertEquals(List.of("[1,1,0]", "[2,3,1]"), h.rows("models", "version, batch_id, parent_version", "version"));
    }

    @Test
    void theModelSurvivesARestartAndARollbackMakesTheNextBatchScoreWithTheChosenVersion(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        story(h);
        h.batch(3, List.of(), List.of(label("e3", 1, "2024-05-01T05:00:00Z"), label("e4", 0, "2024-05-01T06:00:00Z")));
        h.sink = h.newSink();   // a restarted process: nothing cached
        h.batch(4, List.of(event("e5", T0, 70, "m1")), List.of());
        assertEquals(List.of("[e5,2]"), h.rows("scores", "id, model_version", "id").subList(4, 5));
        long v = new ModelStore(h.spark, h.options.table("models")).rollback(1);
        assertEquals(3, v);
        assertEquals(List.of("[1,1,trained,0]", "[2,3,trained,1]", "[3,3,rollback,1]"),
                h.rows("models", "version, batch_id, kind, parent_version", "version"));
        h.sink = h.newSink();
        h.batch(5, List.of(event("e6", T0, 70, "m1")), List.of());
        Row e6 = h.table("scores").filter("id = 'e6'").select("score", "model_version").first();
        assertEquals(3L, e6.getLong(1));
        assertEquals(score(h.model(1), 70, "m1")[0], e6.getDouble(0), "version 3 is version 1's state");
        assertTrue(score(h.model(2), 70, "m1")[0] != e6.getDouble(0));
    }

    @Test
    void championAndChallengerAreBothScoredAndEvaluatedPrequentially(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        story(h);
        double[] e4 = score(storyModel(h), 80, "m1");
        Row r = h.table("scores").filter("id = 'e4'").select("score", "challenger_score").first();
        assertEquals(e4[0], r.getDouble(0));
        assertEquals(e4[1], r.getDouble(1));
        // ten labels close one evaluation window (--eval-window 10): its metrics are those of the scores given
        List<String> events = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(event("f" + i, T0, 10 + 20 * i, i % 2 == 0 ? "m1" : "m2"));
            labels.add(label("f" + i, i >= 6 ? 1 : 0, "2024-05-02T00:0" + i + ":00Z"));
        }
        h.batch(3, events, List.of());
        h.batch(4, List.of(), labels);
        List<Row> scored = h.table("scores").filter("id LIKE 'f%'").orderBy("id").collectAsList();
        double[] champion = new double[10];
        double[] challenger = new double[10];
        int[] y = new int[10];
        // window: e1, e2 (batch 1, scores 0.5), then f0..f7 in label-time order
        champion[0] = champion[1] = challenger[0] = challenger[1] = 0.5;
        y[0] = 1;
        for (int i = 0; i < 8; i++) {
            champion[2 + i] = scored.get(i).<Double>getAs("score");
            challenger[2 + i] = scored.get(i).<Double>getAs("challenger_score");
            y[2 + i] = i >= 6 ? 1 : 0;
        }
        Metrics m = Metrics.of(champion, y, 10, 0.5);
        Metrics c = Metrics.of(challenger, y, 10, 0.5);
        Row ev = h.table("evaluation").first();
        assertEquals(1L, ev.<Long>getAs("window"));
        assertEquals(10L, ev.<Long>getAs("labels"));
        assertEquals(3L, ev.<Long>getAs("positives"));
        assertEquals(m.auc(), ev.<Double>getAs("auc"));
        assertEquals(m.logLoss(), ev.<Double>getAs("log_loss"));
        assertEquals(c.auc(), ev.<Double>getAs("challenger_auc"));
        assertEquals(2L, ev.<Long>getAs("model_version"));
    }

    @Test
    void badRecordsAreQuarantinedAndOddLabelsCountedNeverTrainedTwice(@TempDir Path dir) throws Exception {
        FraudHarness h = new FraudHarness(dir);
        h.batch(0, List.of(event("e1", T0, 100, "m1"), "{not json", "{\"ts\":\"" + T0 + "\",\"amount\":1}",
                        event("e2", T0, "abc", "m2"), event("e1", T0, 100, "m1")),
                List.of(label("zz", 1, "2024-05-01T01:00:00Z"), "{\"id\":\"e1\",\"label\":7,\"label_ts\":\"" + T0 + "\"}"));
        h.batch(1, List.of(event("e1", T0, 100, "m1")),
                List.of(label("e1", 1, "2024-05-01T02:00:00Z"), label("e1", 1, "2024-05-01T02:00:00Z"),
                        label("e2", 0, "2024-05-20T00:00:00Z")));
        h.batch(2, List.of(), List.of(label("e1", 1, "2024-05-01T02:00:00Z")));
        assertEquals(List.of("[e1,null,0.5]", "[e2,amount,0.5]"), h.rows("scores", "id, imputed_features, score", "id"));
        assertEquals(List.of(
                        "[events,duplicate event id, already scored in batch 0]",
                        "[events,duplicate event id, already scored in this batch]",
                        "[labels,label 'label' must be 0/1 or true/false]",
                        "[events,missing required field 'id']",
                        "[events,unparsable JSON]"),
                h.rows("quarantine", "input, reason", "reason"));
        assertEquals(List.of("[e1,duplicate,1]", "[e1,duplicate,2]", "[e1,trained,1]", "[e2,expired,1]", "[zz,unknown,0]"),
                h.rows("labels", "id, outcome, batch_id", "id, outcome"));
        assertEquals(List.of("[1,1,1]"), h.rows("models", "version, batch_id, champion_updates", "version"));
    }
}
