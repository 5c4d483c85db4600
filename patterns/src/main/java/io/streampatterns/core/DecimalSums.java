package io.streampatterns.core;

import java.math.BigDecimal;

/**
 * Sums of decimal amounts (money) held as doubles, without binary floating-point noise: {@code 23.65 + 94.58 + 90.24
 * + 4.03} is {@code 212.49999999999997} in double arithmetic, {@code 212.5} here. Each addition is done in decimal on
 * the shortest text of both operands (the number a JSON or CSV parser read, {@link Double#toString}) and rounded back
 * to the nearest double, whose shortest text is then the exact decimal sum. That holds while a sum has at most 15
 * significant digits (below 10^13 with cents), so results do not depend on the order of additions either. Keeping
 * the double (not a DECIMAL column) leaves state layouts and output schemas unchanged.
 */
public final class DecimalSums {
    private DecimalSums() {
    }

    /** {@code a + b} in decimal; NaN and infinities as in double arithmetic. */
    public static double plus(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return a + b;
        }
        return BigDecimal.valueOf(a).add(BigDecimal.valueOf(b)).doubleValue();
    }

    /** {@code a + b} in decimal, null being no value: null + null = null, null + b = b. */
    public static Double plus(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return plus(a.doubleValue(), b.doubleValue());
    }
}
