package io.streampatterns.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** Entry figures in the order given (JSON keys keep their order from run to run). */
final class Figures {
    private Figures() {
    }

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
