package io.streampatterns.online;

/**
 * One labelled example: the event's id and time, its raw features as they were when the event was scored
 * ({@code numeric}: NaN = missing; {@code strings}: null = missing), the champion's and the challenger's scores given
 * then, and the label (0/1) that arrived later.
 */
public record Example(String id, long eventMillis, double[] numeric, String[] strings, double score,
                      double challengerScore, int label) {
}
