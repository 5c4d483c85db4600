package io.streampatterns.aggregate;

/**
 * The mergeable summary behind {@link Aggregates#stats}: count, sum, min, max, mean and the sum of squared
 * deviations from the mean (M2), merged with Chan et al.'s parallel formula as Spark's own variance does.
 */
final class Moments {
    long n;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double mean;
    double m2;

    Moments() {
    }

    Moments(long n, double sum, double min, double max, double mean, double m2) {
        this.n = n;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.mean = mean;
        this.m2 = m2;
    }

    void add(double x) {
        n++;
        sum += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
        double delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
    }

    void merge(Moments o) {
        if (o.n == 0) {
            return;
        }
        long total = n + o.n;
        double delta = o.mean - mean;
        mean += delta * o.n / total;
        m2 += o.m2 + delta * delta * n * o.n / total;
        n = total;
        sum += o.sum;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    long count() {
        return n;
    }

    /** Sample variance, NaN below two values. */
    double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }
}
