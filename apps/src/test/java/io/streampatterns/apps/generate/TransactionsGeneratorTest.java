package io.streampatterns.apps.generate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionsGeneratorTest {
    static final int EVENTS = 100_000;
    static final GeneratorOptions OPTIONS = GeneratorOptions.seed(5).withCards(3000).withMerchants(500);

    static List<String> lines;
    static List<JsonNode> txs;
    static List<JsonNode> labels;

    @BeforeAll
    static void generate() {
        MemorySink sink = MemorySink.generate(Dataset.TRANSACTIONS, OPTIONS, EVENTS);
        lines = sink.lines;
        txs = sink.json();
        labels = sink.sideLines(TransactionsGenerator.LABELS).json();
    }

    @Test
    void transactionsHaveTheDeclaredFieldsAndTwoDecimalAmountsInTheCountrysCurrency() {
        assertEquals(EVENTS, txs.size());
        Map<String, String> currencyOf = Map.of("US", "USD", "GB", "GBP", "DE", "EUR", "FR", "EUR", "JP", "JPY");
        for (int i = 0; i < EVENTS; i++) {
            JsonNode tx = txs.get(i);
            String line = lines.get(i);
            assertEquals(List.of("tx_id", "card_id", "merchant_id", "amount", "currency", "country", "ts"),
                    fieldNames(tx));
            assertTrue(line.matches(".*\"amount\":\\d+\\.\\d\\d,.*"), () -> line);
            assertTrue(tx.get("amount").asDouble() > 0);
            String expected = currencyOf.get(tx.get("country").asText());
            assertTrue(expected == null || expected.equals(tx.get("currency").asText()), () -> line);
        }
        assertEquals(EVENTS, txs.stream().map(t -> t.get("tx_id").asText()).distinct().count(), "tx ids are unique");
    }

    @Test
    void everyTransactionGetsOneLabelHoursToDaysAfterItInLabelTimeOrder() {
        Map<String, Long> txTime = new HashMap<>();
        txs.forEach(t -> txTime.put(t.get("tx_id").asText(), millis(t, "ts")));
        Set<String> labelled = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (JsonNode label : labels) {
            assertEquals(List.of("tx_id", "is_fraud", "label_ts"), fieldNames(label));
            String txId = label.get("tx_id").asText();
            assertTrue(txTime.containsKey(txId), () -> "label of an unknown transaction: " + label);
            assertTrue(labelled.add(txId), () -> "second label for " + txId);
            long labelTs = millis(label, "label_ts");
            long delay = labelTs - txTime.get(txId);
            assertTrue(delay >= 2 * 3_600_000L && delay < 30 * 86_400_000L, () -> "label delay " + delay + ": " + label);
            assertTrue(label.get("is_fraud").isBoolean());
            assertTrue(labelTs >= previous, "labels arrive in label_ts order");
            previous = labelTs;
        }
        assertEquals(EVENTS, labelled.size());
    }

    @Test
    void aboutOnePercentIsFraudMoreLikelyAbroadForHighAmountsAndOnBurstyCards() {
        Set<String> fraud = labels.stream().filter(l -> l.get("is_fraud").asBoolean())
                .map(l -> l.get("tx_id").asText()).collect(Collectors.toSet());
        double rate = fraud.size() / (double) EVENTS;
        assertTrue(rate > 0.006 && rate < 0.015, "fraud rate " + rate);

        Map<String, String> homeCountry = homeCountries();
        Map<String, List<Long>> timesByCard = new HashMap<>();
        txs.forEach(t -> timesByCard.computeIfAbsent(t.get("card_id").asText(), c -> new ArrayList<>()).add(millis(t, "ts")));
        timesByCard.values().forEach(Collections::sort);
        Rates abroad = new Rates();
        Rates highAmount = new Rates();
        Rates bursty = new Rates();
        for (JsonNode t : txs) {
            boolean isFraud = fraud.contains(t.get("tx_id").asText());
            abroad.add(!t.get("country").asText().equals(homeCountry.get(t.get("card_id").asText())), isFraud);
            highAmount.add(t.get("amount").asDouble() / perUsd(t.get("country").asText()) > 300, isFraud);
            bursty.add(hasOtherWithin(timesByCard.get(t.get("card_id").asText()), millis(t, "ts"), 10 * 60_000), isFraud);
        }
        assertTrue(abroad.lift() > 5, "abroad: " + abroad);
        assertTrue(highAmount.lift() > 3, "high amount: " + highAmount);
        assertTrue(bursty.lift() > 5, "bursty card: " + bursty);
    }

    @Test
    void merchantsAreThoseOfTheMerchantsSnapshotWithTheSameSeedAndPayInTheirCountry() {
        MemorySink merchants = MemorySink.generate(Dataset.MERCHANTS, OPTIONS, OPTIONS.merchants());
        Map<String, String> countryOf = new HashMap<>();
        merchants.json().forEach(m -> countryOf.put(m.get("merchant_id").asText(), m.get("country").asText()));
        for (JsonNode t : txs) {
            assertEquals(countryOf.get(t.get("merchant_id").asText()), t.get("country").asText(), t::toString);
        }
    }

    /** Fraud rate of transactions with and without a feature. */
    static final class Rates {
        long with;
        long fraudWith;
        long without;
        long fraudWithout;

        void add(boolean feature, boolean fraud) {
            if (feature) {
                with++;
                fraudWith += fraud ? 1 : 0;
            } else {
                without++;
                fraudWithout += fraud ? 1 : 0;
            }
        }

        double lift() {
            return (fraudWith / (double) with) / (fraudWithout / (double) without);
        }

        @Override
        public String toString() {
            return fraudWith + "/" + with + " vs " + fraudWithout + "/" + without;
        }
    }

    /** Each card's most frequent transaction country. */
    static Map<String, String> homeCountries() {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        txs.forEach(t -> counts.computeIfAbsent(t.get("card_id").asText(), c -> new HashMap<>())
                .merge(t.get("country").asText(), 1, Integer::sum));
        Map<String, String> home = new HashMap<>();
        counts.forEach((card, byCountry) -> home.put(card,
                Collections.max(byCountry.entrySet(), Map.Entry.comparingByValue()).getKey()));
        return home;
    }

    static boolean hasOtherWithin(List<Long> sortedTimes, long t, long window) {
        int i = Collections.binarySearch(sortedTimes, t);
        return (i > 0 && t - sortedTimes.get(i - 1) <= window)
                || (i + 1 < sortedTimes.size() && sortedTimes.get(i + 1) - t <= window);
    }

    static double perUsd(String country) {
        return MerchantCatalog.PER_USD[List.of(MerchantCatalog.COUNTRIES).indexOf(country)];
    }

    @Test
    void withADriftPointFraudTurnsFromAbroadToDomesticCardTesting() {
        List<JsonNode> drifting = MemorySink.generate(Dataset.TRANSACTIONS, OPTIONS.withDriftAt(EVENTS / 2), EVENTS).json();
        List<JsonNode> driftLabels = MemorySink.generate(Dataset.TRANSACTIONS, OPTIONS.withDriftAt(EVENTS / 2), EVENTS)
                .sideLines(TransactionsGenerator.LABELS).json();
        Set<String> fraud = driftLabels.stream().filter(l -> l.get("is_fraud").asBoolean())
                .map(l -> l.get("tx_id").asText()).collect(Collectors.toSet());
        Map<String, Map<String, Long>> countriesOfCard = new HashMap<>();
        drifting.forEach(t -> countriesOfCard.computeIfAbsent(t.get("card_id").asText(), c -> new HashMap<>())
                .merge(t.get("country").asText(), 1L, Long::sum));
        double[] domesticShare = new double[2];
        long[] frauds = new long[2];
        for (int i = 0; i < EVENTS; i++) {
            JsonNode t = drifting.get(i);
            if (!fraud.contains(t.get("tx_id").asText())) {
                continue;
            }
            int half = i < EVENTS / 2 ? 0 : 1;
            Map<String, Long> countries = countriesOfCard.get(t.get("card_id").asText());
            String home = Collections.max(countries.entrySet(), Map.Entry.comparingByValue()).getKey();
            frauds[half]++;
            domesticShare[half] += home.equals(t.get("country").asText()) ? 1 : 0;
        }
        assertTrue(frauds[0] > 300 && frauds[1] > 300, "fraud on both sides: " + frauds[0] + ", " + frauds[1]);
        assertTrue(domesticShare[0] / frauds[0] < 0.5, "before: mostly abroad " + domesticShare[0] / frauds[0]);
        assertTrue(domesticShare[1] / frauds[1] > 0.8, "after: mostly at home " + domesticShare[1] / frauds[1]);
        assertEquals(txs.subList(0, 1000), drifting.subList(0, 1000), "the same data before the drift point");
    }

    static long millis(JsonNode node, String field) {
        return Instant.parse(node.get(field).asText()).toEpochMilli();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
