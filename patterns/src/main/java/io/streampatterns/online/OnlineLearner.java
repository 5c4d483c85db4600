package io.streampatterns.online;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole learning state of the fraud pipeline, updated in one place (the driver) once per micro-batch and stored
 * as one versioned value: the champion and the challenger (FTRL-Proximal logistic regressions), the online scaler,
 * the Half-Space Trees anomaly model, the ADWIN and Page-Hinkley detectors on the champion's error stream and the
 * open evaluation window.
 *
 * <p>{@link #train} is test-then-train: each example is first evaluated with the scores its event got when it was
 * scored (before any training on it), then fed to the detectors, then learnt. When a detector fires, the challenger
 * is reset (a fresh model with the challenger's faster learning rate) so that it learns the new concept; at the end
 * of each evaluation window the challenger is promoted to champion when it beat the champion on that window (lower
 * log loss and AUC at least as high), having trained for at least two windows since its reset. The detectors start
 * after the first evaluation window (a model learning its first labels always improves, which is no drift).</p>
 *
 * <p>{@link #toBytes}/{@link #fromBytes} round-trip exactly (doubles bit for bit): a model version stored after batch
 * N and read back scores and trains identically.</p>
 */
public final class OnlineLearner {
    private static final int FORMAT = 1;
    private final LearnerOptions options;
    private long version;
    private Ftrl champion;
    private Ftrl challenger;
    private final OnlineScaler scaler;
    private final HalfSpaceTrees trees;
    private Adwin adwin;
    private PageHinkley pageHinkley;
    private final EvalWindow window;
    private long labels;
    private long windows;
    private long drifts;
    private long promotions;
    private long challengerSince;

    private OnlineLearner(LearnerOptions options, long version, Ftrl champion, Ftrl challenger, OnlineScaler scaler,
                          HalfSpaceTrees trees, Adwin adwin, PageHinkley pageHinkley, EvalWindow window) {
        this.options = options;
        this.version = version;
        this.champion = champion;
        this.challenger = challenger;
        this.scaler = scaler;
        this.trees = trees;
        this.adwin = adwin;
        this.pageHinkley = pageHinkley;
        this.window = window;
    }

    /** Version 0: untrained models (every score 0.5), empty detectors. */
    public static OnlineLearner create(LearnerOptions o) {
        return new OnlineLearner(o, 0, Ftrl.create(o.champion()), Ftrl.create(o.challenger()),
                OnlineScaler.create(o.numeric()),
                HalfSpaceTrees.create(o.hstTrees(), o.hstHeight(), o.hstWindow(), Math.max(1, o.numeric()), o.seed()),
                Adwin.create(o.adwinDelta()), PageHinkley.create(o.phDelta(), o.phLambda(), o.phMinInstances()),
                new EvalWindow(o.evalWindow()));
    }

    /** What one call of {@link #train} produced: closed evaluation windows and drift detections. */
    public record Outcome(List<Evaluation> evaluations, List<Drift> drifts) {
    }

    /** Metrics of one closed evaluation window, and whether the challenger was promoted at its end. */
    public record Evaluation(long window, long labelsSoFar, long firstEventMillis, long lastEventMillis,
                             Metrics champion, Metrics challenger, boolean promoted) {
    }

    /** One detection: which detector, after how many labels, on which example, and what was done. */
    public record Drift(String detector, long labelsSoFar, String eventId, long eventMillis, String action) {
    }

    /**
     * Evaluates, then learns each example in the given order (the caller fixes the order so that a replay trains
     * identically); the version goes up by one when there is at least one example.
     */
    public Outcome train(List<Example> examples) {
        List<Evaluation> evaluations = new ArrayList<>();
        List<Drift> driftRows = new ArrayList<>();
        for (Example e : examples) {
            labels++;
            if (window.add(e.score(), e.challengerScore(), e.label(), e.eventMillis())) {
                evaluations.add(closeWindow());
            }
            detect(e, driftRows);
            learn(e);
        }
        if (!examples.isEmpty()) {
            version++;
        }
        return new Outcome(evaluations, driftRows);
    }

    private void detect(Example e, List<Drift> driftRows) {
        if (windows == 0) {
            // grace period: the first window's errors are those of a model still learning its first labels
            return;
        }
        double error = Math.abs(e.label() - e.score());
        double before = adwin.mean();
        // ADWIN reports any change of the mean; only a rise of the error is a drift to adapt to
        boolean a = adwin.add(error) && adwin.mean() > before;
        boolean p = pageHinkley.add(error);
        if (a || p) {
            drifts++;
            challenger = Ftrl.create(options.challenger());
            challengerSince = labels;
            String action = "challenger reset (alpha " + options.challenger().alpha() + ")";
            if (a) {
                driftRows.add(new Drift("adwin", labels, e.id(), e.eventMillis(), action));
            }
            if (p) {
                driftRows.add(new Drift("page-hinkley", labels, e.id(), e.eventMillis(), action));
            }
        }
    }

    private void learn(Example e) {
        SparseVector x = options.encoder().encode(scaler, e.numeric(), e.strings());
        champion.update(x, e.label());
        challenger.update(x, e.label());
        if (options.numeric() > 0) {
            trees.learn(options.encoder().unitCube(scaler, e.numeric()));
        }
        scaler.update(e.numeric());
    }

    private Evaluation closeWindow() {
        windows++;
        Metrics ch = window.championMetrics(options.threshold());
        Metrics cl = window.challengerMetrics(options.threshold());
        boolean promote = labels - challengerSince >= 2L * options.evalWindow()
                && cl.logLoss() < ch.logLoss() && !(cl.auc() < ch.auc());
        if (promote) {
            promotions++;
            champion = challenger.copy();
            // the detectors watched the old champion's errors: start them afresh on the new one's
            adwin = Adwin.create(options.adwinDelta());
            pageHinkley = PageHinkley.create(options.phDelta(), options.phLambda(), options.phMinInstances());
        }
        Evaluation ev = new Evaluation(windows, labels, window.firstEventMillis(), window.lastEventMillis(), ch, cl, promote);
        window.clear();
        return ev;
    }

    /** The scoring snapshot of the current state (dense weights; copies, so later training does not change it). */
    public Scorer scorer() {
        return new Scorer(version, options.encoder(), scaler.copy(), champion.weights(), challenger.weights(),
                trees.copy(), options.threshold());
    }

    public LearnerOptions options() {
        return options;
    }

    public long version() {
        return version;
    }

    /** The same state under another version number (a rollback re-issues an old state as the newest version). */
    public OnlineLearner withVersion(long v) {
        OnlineLearner c = fromBytes(toBytes());
        c.version = v;
        return c;
    }

    public long labels() {
        return labels;
    }

    public long windows() {
        return windows;
    }

    public long drifts() {
        return drifts;
    }

    public long promotions() {
        return promotions;
    }

    public long championUpdates() {
        return champion.updates();
    }

    public long challengerUpdates() {
        return challenger.updates();
    }

    public double adwinWidth() {
        return adwin.width();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            options.write(out);
            out.writeLong(version);
            champion.write(out);
            challenger.write(out);
            scaler.write(out);
            trees.write(out);
            adwin.write(out);
            pageHinkley.write(out);
            window.write(out);
            out.writeLong(labels);
            out.writeLong(windows);
            out.writeLong(drifts);
            out.writeLong(promotions);
            out.writeLong(challengerSince);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static OnlineLearner fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("model state format " + format + " is not " + FORMAT);
            }
            LearnerOptions o = LearnerOptions.read(in);
            OnlineLearner l = new OnlineLearner(o, in.readLong(), Ftrl.read(in), Ftrl.read(in), OnlineScaler.read(in),
                    HalfSpaceTrees.read(in), Adwin.read(in), PageHinkley.read(in), EvalWindow.read(in));
            l.labels = in.readLong();
            l.windows = in.readLong();
            l.drifts = in.readLong();
            l.promotions = in.readLong();
            l.challengerSince = in.readLong();
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
