package io.streampatterns.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalSumsTest {
    @Test
    void sumsOfCentsHaveNoBinaryNoise() {
        assertEquals(0.30000000000000004, 0.1 + 0.2, "what double arithmetic gives");
        assertEquals("0.3", String.valueOf(DecimalSums.plus(0.1, 0.2)));
        assertEquals(214.50999999999996, 131.17 + 10.92 + 67.26 + 5.16, "the noise issue 16 saw");
        assertEquals("214.51", String.valueOf(DecimalSums.plus(DecimalSums.plus(DecimalSums.plus(131.17, 10.92), 67.26), 5.16)));
    }

    /** 10,000 random amounts with cents, in two orders, against the exact sum in cents. */
    @Test
    void manyAmountsSumExactlyInAnyOrder() {
        Random random = new Random(16);
        List<Double> amounts = new ArrayList<>();
        long cents = 0;
        for (int i = 0; i < 10_000; i++) {
            long c = random.nextInt(1_000_000);
            cents += c;
            amounts.add(c / 100.0);
        }
        String exact = java.math.BigDecimal.valueOf(cents, 2).stripTrailingZeros().toPlainString();
        for (int order = 0; order < 2; order++) {
            double sum = 0;
            for (double a : amounts) {
                sum = DecimalSums.plus(sum, a);
            }
            assertEquals(exact, java.math.BigDecimal.valueOf(sum).stripTrailingZeros().toPlainString());
            Collections.shuffle(amounts, random);
        }
    }

    @Test
    void nullIsNoValueAndNonFiniteValuesAddAsDoubles() {
        assertNull(DecimalSums.plus((Double) null, null));
        assertEquals(2.5, DecimalSums.plus(null, 2.5));
        assertEquals(2.5, DecimalSums.plus(2.5, null));
        assertTrue(Double.isNaN(DecimalSums.plus(Double.NaN, 1.0)));
        assertEquals(Double.POSITIVE_INFINITY, DecimalSums.plus(Double.POSITIVE_INFINITY, 1.0));
    }
}
