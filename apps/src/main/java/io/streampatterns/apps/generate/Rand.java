package io.streampatterns.apps.generate;

import java.util.SplittableRandom;

/**
 * The generators' source of randomness: a {@link SplittableRandom} plus the few distributions they need,
 * computed with {@link StrictMath} so that the same seed gives the same bytes on every JVM.
 */
final class Rand {
    private final SplittableRandom random;

    Rand(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A generator for one concern (e.g. the merchant catalogue) that does not shift when others draw more. */
    static Rand stream(long seed, long salt) {
        return new Rand(seed * 0x9E3779B97F4A7C15L + salt);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double uniform() {
        return random.nextDouble();
    }

    /** Uniform in {@code [lo, hi)}. */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform in {@code [0, bound)}. */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in {@code [lo, hi]}. */
    long between(long lo, long hi) {
        return lo + random.nextLong(hi - lo + 1);
    }

    /** Exponential with the given mean. */
    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - random.nextDouble());
    }

    /** Standard normal (Box-Muller). */
    double gaussian() {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * StrictMath.PI * v);
    }

    /** Log-normal: {@code exp(mu + sigma * N(0,1))}; the median is {@code exp(mu)}. */
    double logNormal(double mu, double sigma) {
        return StrictMath.exp(mu + sigma * gaussian());
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** An index in {@code [0, n)} skewed towards small values: index {@code i} has weight about {@code 1/(i+1)}. */
    int skewed(int n) {
        double x = StrictMath.exp(random.nextDouble() * StrictMath.log(n + 1.0)) - 1.0;
        return (int) Math.min(n - 1, (long) x);
    }

    /** Picks {@code values[i]} with probability {@code weights[i] / sum(weights)}. */
    <T> T weighted(T[] values, double[] weights) {
        return values[weightedIndex(weights)];
    }

    /** Index {@code i} with probability {@code weights[i] / sum(weights)}. */
    int weightedIndex(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /**
     * A random-looking 16-hex-digit id, distinct for distinct {@code n} and the same {@code seed} and {@code salt}
     * (the SplitMix64 finaliser is a bijection); the salt keeps the ids of different data sets apart.
     */
    static String hexId(long seed, long salt, long n) {
        long z = n + (seed * 0x9E3779B97F4A7C15L + salt) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        String hex = Long.toHexString(z);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
