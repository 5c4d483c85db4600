package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Streaming anomaly score with Half-Space Trees (Tan, Ting and Liu, "Fast Anomaly Detection for Streaming Data",
 * IJCAI 2011). Each tree halves a randomly perturbed work range of [0,1]^d on a random dimension per node, down to
 * {@code height}. Each node counts the points passing through it in the latest window ({@code l}) and keeps the
 * counts of the previous complete window ({@code r}, the reference profile); every {@code window} points the latest
 * counts become the reference. A point's score is, per tree, {@code r * 2^depth} at the deepest node on its path
 * whose reference mass is at least the size limit (a tenth of the window): points in sparse regions score low.
 *
 * <p>Layout: the trees' structure (split dimension and value per node, heap order) is rebuilt from the seed, so the
 * state is only the masses, the position in the window and whether a reference exists.</p>
 */
public final class HalfSpaceTrees implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int trees;
    private final int height;
    private final int window;
    private final int dims;
    private final long seed;
    private final int[][] splitDim;
    private final double[][] splitValue;
    private final long[][] reference;
    private final long[][] latest;
    private int inWindow;
    private boolean hasReference;

    private HalfSpaceTrees(int trees, int height, int window, int dims, long seed) {
        ConfigException.check(trees > 0 && height > 0 && height <= 20 && window > 0 && dims > 0,
                "half-space trees need trees > 0, 0 < height <= 20, window > 0 and at least one numeric feature");
        this.trees = trees;
        this.height = height;
        this.window = window;
        this.dims = dims;
        this.seed = seed;
        int nodes = (1 << (height + 1)) - 1;
        this.splitDim = new int[trees][nodes];
        this.splitValue = new double[trees][nodes];
        this.reference = new long[trees][nodes];
        this.latest = new long[trees][nodes];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < trees; t++) {
            double[] min = new double[dims];
            double[] max = new double[dims];
            for (int q = 0; q < dims; q++) {
                double s = rnd.nextDouble();
                double range = 2 * Math.max(s, 1 - s);
                min[q] = s - range;
                max[q] = s + range;
            }
            build(t, 0, 0, min, max, rnd);
        }
    }

    /** {@code trees} trees of {@code height} over {@code dims} dimensions in [0,1], reference window {@code window}. */
    public static HalfSpaceTrees create(int trees, int height, int window, int dims, long seed) {
        return new HalfSpaceTrees(trees, height, window, dims, seed);
    }

    private void build(int t, int node, int depth, double[] min, double[] max, SplittableRandom rnd) {
        if (depth == height) {
            return;
        }
        int q = rnd.nextInt(dims);
        double mid = (min[q] + max[q]) / 2;
        splitDim[t][node] = q;
        splitValue[t][node] = mid;
        double oldMax = max[q];
        max[q] = mid;
        build(t, 2 * node + 1, depth + 1, min, max, rnd);
        max[q] = oldMax;
        double oldMin = min[q];
        min[q] = mid;
        build(t, 2 * node + 2, depth + 1, min, max, rnd);
        min[q] = oldMin;
    }

    /** Counts {@code x} (values in [0,1]) in the latest window; every {@code window} points it becomes the reference. */
    public void learn(double[] x) {
        for (int t = 0; t < trees; t++) {
            int node = 0;
            for (int depth = 0; ; depth++) {
                latest[t][node]++;
                if (depth == height) {
                    break;
                }
                node = child(t, node, x);
            }
        }
        if (++inWindow == window) {
            for (int t = 0; t < trees; t++) {
                System.arraycopy(latest[t], 0, reference[t], 0, latest[t].length);
                Arrays.fill(latest[t], 0);
            }
            inWindow = 0;
            hasReference = true;
        }
    }

    /** Anomaly score in [0,1]: 1 minus the mass score relative to its maximum; 0 until a first window is complete. */
    public double anomaly(double[] x) {
        if (!hasReference) {
            return 0;
        }
        double sizeLimit = 0.1 * window;
        double score = 0;
        for (int t = 0; t < trees; t++) {
            int node = 0;
            int depth = 0;
            while (depth < height) {
                int next = child(t, node, x);
                if (reference[t][next] < sizeLimit) {
                    break;
                }
                node = next;
                depth++;
            }
            score += reference[t][node] * Math.pow(2, depth);
        }
        double max = (double) trees * window * Math.pow(2, height);
        return Math.max(0, Math.min(1, 1 - score / max));
    }

    private int child(int t, int node, double[] x) {
        return x[splitDim[t][node]] < splitValue[t][node] ? 2 * node + 1 : 2 * node + 2;
    }

    public HalfSpaceTrees copy() {
        HalfSpaceTrees c = new HalfSpaceTrees(trees, height, window, dims, seed);
        for (int t = 0; t < trees; t++) {
            System.arraycopy(reference[t], 0, c.reference[t], 0, reference[t].length);
            System.arraycopy(latest[t], 0, c.latest[t], 0, latest[t].length);
        }
        c.inWindow = inWindow;
        c.hasReference = hasReference;
        return c;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(trees);
        out.writeInt(height);
        out.writeInt(window);
        out.writeInt(dims);
        out.writeLong(seed);
        out.writeInt(inWindow);
        out.writeBoolean(hasReference);
        for (int t = 0; t < trees; t++) {
            for (int k = 0; k < reference[t].length; k++) {
                out.writeLong(reference[t][k]);
                out.writeLong(latest[t][k]);
            }
        }
    }

    static HalfSpaceTrees read(DataInputStream in) throws IOException {
        HalfSpaceTrees h = new HalfSpaceTrees(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong());
        h.inWindow = in.readInt();
        h.hasReference = in.readBoolean();
        for (int t = 0; t < h.trees; t++) {
            for (int k = 0; k < h.reference[t].length; k++) {
                h.reference[t][k] = in.readLong();
                h.latest[t][k] = in.readLong();
            }
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HalfSpaceTrees h && seed == h.seed && trees == h.trees && height == h.height
                && window == h.window && dims == h.dims && inWindow == h.inWindow && hasReference == h.hasReference
                && Arrays.deepEquals(reference, h.reference) && Arrays.deepEquals(latest, h.latest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 + inWindow;
    }
}
