package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The Page-Hinkley test for an increase of the mean (Page, "Continuous Inspection Schemes", Biometrika 1954; in the
 * form of Hinkley 1971 and of Gama et al.'s drift-detection survey):
 * <pre>  m_T = sum_{t<=T} (x_t - mean_t - delta),   M_T = min_{t<=T} m_t,   alarm when m_T - M_T > lambda</pre>
 * where {@code mean_t} is the mean of the values up to {@code t}, {@code delta} the magnitude of change tolerated and
 * {@code lambda} the alarm threshold. After an alarm the test restarts from scratch; no alarm before
 * {@code minInstances} values.
 */
public final class PageHinkley {
    private final double delta;
    private final double lambda;
    private final long minInstances;
    private long n;
    private double mean;
    private double cumulative;
    private double minimum;
    private long detections;

    private PageHinkley(double delta, double lambda, long minInstances) {
        ConfigException.check(delta >= 0 && lambda > 0 && minInstances >= 1,
                "Page-Hinkley needs delta >= 0, lambda > 0 and min instances >= 1");
        this.delta = delta;
        this.lambda = lambda;
        this.minInstances = minInstances;
    }

    public static PageHinkley create(double delta, double lambda, long minInstances) {
        return new PageHinkley(delta, lambda, minInstances);
    }

    /** Adds {@code x}; true on an alarm (the test then restarts). */
    public boolean add(double x) {
        n++;
        mean += (x - mean) / n;
        cumulative += x - mean - delta;
        minimum = Math.min(minimum, cumulative);
        if (n >= minInstances && cumulative - minimum > lambda) {
            detections++;
            n = 0;
            mean = 0;
            cumulative = 0;
            minimum = 0;
            return true;
        }
        return false;
    }

    /** The current test statistic {@code m_T - M_T}. */
    public double statistic() {
        return cumulative - minimum;
    }

    public long detections() {
        return detections;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(delta);
        out.writeDouble(lambda);
        out.writeLong(minInstances);
        out.writeLong(n);
        out.writeDouble(mean);
        out.writeDouble(cumulative);
        out.writeDouble(minimum);
        out.writeLong(detections);
    }

    static PageHinkley read(DataInputStream in) throws IOException {
        PageHinkley p = new PageHinkley(in.readDouble(), in.readDouble(), in.readLong());
        p.n = in.readLong();
        p.mean = in.readDouble();
        p.cumulative = in.readDouble();
        p.minimum = in.readDouble();
        p.detections = in.readLong();
        return p;
    }
}
