package io.streampatterns.apps.generate;

/** Paces a live stream at {@code eventsPerSecond}: line {@code i} is due {@code i / rate} seconds after the first. */
final class RatePacer implements PartFiles.Pacer {
    private final double eventsPerSecond;
    private long startNanos = Long.MIN_VALUE;

    RatePacer(double eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
    }

    @Override
    public void awaitLine(long index) {
        long now = System.nanoTime();
        if (startNanos == Long.MIN_VALUE) {
            startNanos = now;
        }
        long due = startNanos + (long) (index / eventsPerSecond * 1e9);
        if (due > now) {
            try {
                Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("live generation interrupted", e);
            }
        }
    }
}
