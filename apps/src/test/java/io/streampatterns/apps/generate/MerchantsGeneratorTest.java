package io.streampatterns.apps.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerchantsGeneratorTest {
    static final int MERCHANTS = 1000;
    static final int CHANGES = 30_000;
    static final Instant START = Instant.parse("2024-06-01T12:00:00Z");

    static List<JsonNode> changes;

    @BeforeAll
    static void generate() {
        changes = MemorySink.generate(Dataset.MERCHANTS,
                GeneratorOptions.seed(3).withMerchants(MERCHANTS).withStart(START), MERCHANTS + CHANGES).json();
    }

    @Test
    void snapshotUpsertsEveryMerchantAtTheStartBeforeAnyChange() {
        assertEquals(MERCHANTS + CHANGES, changes.size());
        for (int i = 0; i < MERCHANTS; i++) {
            JsonNode m = changes.get(i);
            assertEquals("m" + i, m.get("merchant_id").asText());
            assertEquals("upsert", m.get("op").asText());
            assertEquals("2024-06-01T12:00:00.000Z", m.get("change_ts").asText());
            assertFalse(m.get("name").asText().isBlank());
            assertTrue(Set.of(MerchantCatalog.CATEGORIES).contains(m.get("category").asText()), m::toString);
            assertTrue(Set.of(MerchantCatalog.COUNTRIES).contains(m.get("country").asText()), m::toString);
        }
        for (int i = MERCHANTS; i < changes.size(); i++) {
            assertTrue(millis(changes.get(i)) > START.toEpochMilli());
            assertTrue(millis(changes.get(i)) >= millis(changes.get(i - 1)), "changes are in commit order");
        }
    }

    @Test
    void aboutOnePercentOfMerchantsChangePerMinuteWithRareDeletesAndNoChangeAfterADelete() {
        double minutes = (millis(changes.get(changes.size() - 1)) - START.toEpochMilli()) / 60_000.0;
        double perMinute = CHANGES / minutes;
        assertTrue(perMinute > 9 && perMinute < 11, "changes per minute: " + perMinute);
        Set<String> deleted = new HashSet<>();
        int inserts = 0;
        for (JsonNode m : changes.subList(MERCHANTS, changes.size())) {
            String id = m.get("merchant_id").asText();
            assertFalse(deleted.contains(id), () -> "change after delete: " + m);
            if (m.get("op").asText().equals("delete")) {
                deleted.add(id);
                assertTrue(m.get("name").isNull() && m.get("risk_score").isNull(), m::toString);
            } else {
                double risk = m.get("risk_score").asDouble();
                assertTrue(risk >= 0 && risk <= 1, m::toString);
                inserts += Integer.parseInt(id.substring(1)) >= MERCHANTS ? 1 : 0;
            }
        }
        assertTrue(deleted.size() > 20 && deleted.size() < CHANGES / 100, "deletes: " + deleted.size());
        assertTrue(inserts > 100, "upserts of new merchants: " + inserts);
    }

    @Test
    void fewerEventsThanTheSnapshotIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                MemorySink.generate(Dataset.MERCHANTS, GeneratorOptions.seed(3).withMerchants(50), 49));
        assertEquals("merchants: --events 49 must be at least --merchants 50 (the initial snapshot has one event"
                + " per merchant)", e.getMessage());
    }

    static long millis(JsonNode m) {
        return Instant.parse(m.get("change_ts").asText()).toEpochMilli();
    }
}
