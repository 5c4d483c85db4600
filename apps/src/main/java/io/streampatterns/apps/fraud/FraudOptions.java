package io.streampatterns.apps.fraud;

import io.streampatterns.core.ConfigException;
import io.streampatterns.online.LearnerOptions;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of the fraud pipeline. Immutable; start from {@link #of(String)} (defaults fit {@code generate
 * transactions}: id {@code tx_id}, time {@code ts}, label {@code is_fraud}, label time {@code label_ts}, the built-in
 * transaction features) and change one value at a time.
 *
 * <p>Tables under {@code output}: {@code scores}, {@code alerts}, {@code models}, {@code evaluation}, {@code drift},
 * {@code labels} (every label with its outcome: trained, duplicate, unknown, expired), {@code quarantine}; the
 * checkpoint is
 * {@code output/_checkpoints/fraud} unless given.</p>
 */
public final class FraudOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    final String output;
    final String checkpoint;
    final String idColumn;
    final String timeColumn;
    final String labelColumn;
    final String labelTimeColumn;
    final List<String> features;
    final Duration watermark;
    final Duration labelTimeout;
    final double threshold;
    final int evalWindow;
    final String alertsBootstrap;
    final String alertsTopic;
    final boolean frozen;

    private FraudOptions(String output, String checkpoint, String idColumn, String timeColumn, String labelColumn,
                         String labelTimeColumn, List<String> features, Duration watermark, Duration labelTimeout,
                         double threshold, int evalWindow, String alertsBootstrap, String alertsTopic, boolean frozen) {
        ConfigException.check(!watermark.isNegative(), "--watermark must be >= 0, got " + watermark);
        ConfigException.check(!labelTimeout.isNegative() && !labelTimeout.isZero(), "--label-timeout must be positive");
        ConfigException.check(threshold > 0 && threshold < 1, "--threshold must be in (0, 1), got " + threshold);
        ConfigException.check(evalWindow >= 10, "--eval-window must be >= 10 labels, got " + evalWindow);
        ConfigException.check(features.stream().noneMatch(f -> f.equals(idColumn) || f.equals(timeColumn)),
                "--features must not name the id or the time column");
        this.output = output;
        this.checkpoint = checkpoint;
        this.idColumn = idColumn;
        this.timeColumn = timeColumn;
        this.labelColumn = labelColumn;
        this.labelTimeColumn = labelTimeColumn;
        this.features = List.copyOf(features);
        this.watermark = watermark;
        this.labelTimeout = labelTimeout;
        this.threshold = threshold;
        this.evalWindow = evalWindow;
        this.alertsBootstrap = alertsBootstrap;
        this.alertsTopic = alertsTopic;
        this.frozen = frozen;
    }

    /**
     * Output directory (a path or URI) {@code output}; defaults: watermark 10 min, label timeout 7 days, threshold 0.5,
     * evaluation windows of 5,000 labels, built-in transaction features.
     */
    public static FraudOptions of(String output) {
        Objects.requireNonNull(output, "output");
        return new FraudOptions(output, null, "tx_id", "ts", "is_fraud", "label_ts", List.of(), Duration.ofMinutes(10),
                Duration.ofDays(7), 0.5, 5_000, null, null, false);
    }

    public FraudOptions withCheckpoint(String dir) {
        return new FraudOptions(output, dir, idColumn, timeColumn, labelColumn, labelTimeColumn, features, watermark,
                labelTimeout, threshold, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    /** Column names: event id (also in the labels), event time, label (0/1 or true/false), label time. */
    public FraudOptions withColumns(String id, String time, String label, String labelTime) {
        return new FraudOptions(output, checkpoint, id, time, label, labelTime, features, watermark, labelTimeout,
                threshold, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    /** Generic features: numeric columns scaled online, other columns hashed (one-hot); empty = built-in features. */
    public FraudOptions withFeatures(List<String> columns) {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, columns, watermark,
                labelTimeout, threshold, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    public FraudOptions withWatermark(Duration d) {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features, d,
                labelTimeout, threshold, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    /** A label later than this after its event (event time to label time) is not trained on (counted as expired). */
    public FraudOptions withLabelTimeout(Duration d) {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features,
                watermark, d, threshold, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    public FraudOptions withThreshold(double t) {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features,
                watermark, labelTimeout, t, evalWindow, alertsBootstrap, alertsTopic, frozen);
    }

    public FraudOptions withEvalWindow(int labels) {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features,
                watermark, labelTimeout, threshold, labels, alertsBootstrap, alertsTopic, frozen);
    }

    /** Also send alerts to the Kafka topic {@code topic} at {@code bootstrap}. */
    public FraudOptions withAlertsTopic(String bootstrap, String topic) {
        ConfigException.check(bootstrap != null && bootstrap.matches("[^\\s:]+:\\d+(,[^\\s:]+:\\d+)*"),
                "--alerts-topic needs --kafka host:port");
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features,
                watermark, labelTimeout, threshold, evalWindow, bootstrap, topic, frozen);
    }

    /** Score only, with the model as it is (no label join, no training): the baseline of the bench. */
    public FraudOptions withFrozenModel() {
        return new FraudOptions(output, checkpoint, idColumn, timeColumn, labelColumn, labelTimeColumn, features,
                watermark, labelTimeout, threshold, evalWindow, alertsBootstrap, alertsTopic, true);
    }

    public String table(String name) {
        return output.replaceAll("/+$", "") + "/" + name;
    }

    public String checkpoint() {
        return checkpoint != null ? checkpoint : table("_checkpoints/fraud");
    }

    public boolean builtinFeatures() {
        return features.isEmpty();
    }

    /** The learner's options for a feature layout of {@code numeric} and {@code strings} columns. */
    LearnerOptions learner(int numeric, int strings) {
        return LearnerOptions.defaults(numeric, strings).withThreshold(threshold).withEvalWindow(evalWindow);
    }
}
