package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;

import java.time.Instant;

/**
 * What to simulate: the seed, the first event time and the population sizes. Immutable; start from
 * {@link #seed(long)} and change one value at a time.
 */
public final class GeneratorOptions {
    public static final Instant DEFAULT_START = Instant.parse("2024-05-01T00:00:00Z");

    private final long seed;
    private final Instant start;
    private final int users;
    private final int cards;
    private final int merchants;
    private final long driftAt;

    private GeneratorOptions(long seed, Instant start, int users, int cards, int merchants, long driftAt) {
        ConfigException.check(start != null, "--start: an instant is required (e.g. 2024-05-01T00:00:00Z)");
        ConfigException.check(users > 0, "--users must be positive, got " + users);
        ConfigException.check(cards > 0, "--cards must be positive, got " + cards);
        ConfigException.check(merchants > 0, "--merchants must be positive, got " + merchants);
        this.seed = seed;
        this.start = start;
        this.users = users;
        this.cards = cards;
        this.merchants = merchants;
        this.driftAt = driftAt;
    }

    /** Defaults: start 2024-05-01T00:00:00Z, 5000 users, 10000 cards, 1000 merchants. */
    public static GeneratorOptions seed(long seed) {
        return new GeneratorOptions(seed, DEFAULT_START, 5000, 10_000, 1000, -1);
    }

    public GeneratorOptions withStart(Instant start) {
        return new GeneratorOptions(seed, start, users, cards, merchants, driftAt);
    }

    public GeneratorOptions withUsers(int users) {
        return new GeneratorOptions(seed, start, users, cards, merchants, driftAt);
    }

    public GeneratorOptions withCards(int cards) {
        return new GeneratorOptions(seed, start, users, cards, merchants, driftAt);
    }

    public GeneratorOptions withMerchants(int merchants) {
        return new GeneratorOptions(seed, start, users, cards, merchants, driftAt);
    }

    /**
     * transactions: from the {@code n}-th transaction on (0-based), fraud changes pattern (concept drift): fraud is
     * then domestic card testing (bursts of small payments at home, at everyday merchants) instead of high amounts
     * abroad at risky merchants. Negative: no drift.
     */
    public GeneratorOptions withDriftAt(long n) {
        return new GeneratorOptions(seed, start, users, cards, merchants, n);
    }

    /** The transaction index where fraud changes pattern, or -1 for none. */
    public long driftAt() {
        return driftAt;
    }

    public long seed() {
        return seed;
    }

    public Instant start() {
        return start;
    }

    /** Epoch millis of {@link #start()}. */
    long startMillis() {
        return start.toEpochMilli();
    }

    public int users() {
        return users;
    }

    public int cards() {
        return cards;
    }

    public int merchants() {
        return merchants;
    }
}
