package io.streampatterns.apps.generate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClickstreamGeneratorTest {
    static final int EVENTS = 100_000;
    static final Set<String> FIELDS = Set.of("event_id", "user_id", "ts", "type", "page", "campaign", "amount", "device");
    static final Set<String> TYPES = Set.of("page_view", "click", "add_to_cart", "purchase", "logout");
    static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    static List<String> lines;
    static List<JsonNode> events;

    @BeforeAll
    static void generate() {
        MemorySink sink = MemorySink.generate(Dataset.CLICKSTREAM, GeneratorOptions.seed(11).withUsers(2000), EVENTS);
        lines = sink.lines;
        events = sink.json();
    }

    @Test
    void writesExactlyTheRequestedEventsWithTheDeclaredFields() {
        assertEquals(EVENTS, lines.size());
        Set<String> users = new HashSet<>();
        for (JsonNode e : events) {
            Set<String> keys = new HashSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            assertEquals(FIELDS, keys, e::toString);
            assertTrue(e.get("ts").asText().matches(ISO_MILLIS), e::toString);
            assertTrue(TYPES.contains(e.get("type").asText()), e::toString);
            assertTrue(e.get("page").asText().startsWith("/"), e::toString);
            assertTrue(Set.of("mobile", "desktop", "tablet").contains(e.get("device").asText()), e::toString);
            boolean purchase = e.get("type").asText().equals("purchase");
            assertEquals(purchase, e.get("amount").isNumber(), e::toString);
            assertTrue(e.get("amount").isNull() || e.get("amount").asDouble() > 0, e::toString);
            assertTrue(e.get("campaign").isNull() || Set.of(Visitor.CAMPAIGNS).contains(e.get("campaign").asText()),
                    e::toString);
            users.add(e.get("user_id").asText());
        }
        assertEquals("2024-05-01", events.get(0).get("ts").asText().substring(0, 10));
        assertTrue(users.size() > 1900, "most of the 2000 users are active: " + users.size());
    }

    @Test
    void aboutHalfAPercentAreExactDuplicatesOfEarlierEvents() {
        Map<String, String> firstLineById = new HashMap<>();
        int duplicates = 0;
        for (int i = 0; i < lines.size(); i++) {
            String id = events.get(i).get("event_id").asText();
            String first = firstLineById.putIfAbsent(id, lines.get(i));
            if (first != null) {
                assertEquals(first, lines.get(i), "a duplicate repeats the whole event");
                duplicates++;
            }
        }
        double rate = duplicates / (double) EVENTS;
        assertTrue(rate > 0.003 && rate < 0.007, "duplicate rate " + rate);
    }

    @Test
    void visitsOfAUserAreBurstsSecondsApartSeparatedByIdleGapsOfThirtyMinutesOrMore() {
        Map<String, TreeSet<Long>> timesByUser = new HashMap<>();
        Map<String, Map<Long, String>> campaignByUserAndTime = new HashMap<>();
        for (JsonNode e : events) {
            long t = Instant.parse(e.get("ts").asText()).toEpochMilli();
            timesByUser.computeIfAbsent(e.get("user_id").asText(), u -> new TreeSet<>()).add(t);
            campaignByUserAndTime.computeIfAbsent(e.get("user_id").asText(), u -> new HashMap<>())
                    .put(t, e.get("campaign").asText("none"));
        }
        int inVisit = 0;
        int betweenVisits = 0;
        int campaignChangesInsideVisits = 0;
        for (Map.Entry<String, TreeSet<Long>> user : timesByUser.entrySet()) {
            List<Long> times = new ArrayList<>(user.getValue());
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                assertTrue(gap <= Visitor.MAX_STEP_MILLIS || gap >= Visitor.MIN_IDLE_MILLIS,
                        () -> user.getKey() + " has a gap of " + gap + " ms");
                if (gap <= Visitor.MAX_STEP_MILLIS) {
                    inVisit++;
                    Map<Long, String> campaigns = campaignByUserAndTime.get(user.getKey());
                    if (!campaigns.get(times.get(i)).equals(campaigns.get(times.get(i - 1)))) {
                        campaignChangesInsideVisits++;
                    }
                } else {
                    betweenVisits++;
                }
            }
        }
        assertEquals(0, campaignChangesInsideVisits, "a visit keeps its campaign");
        assertTrue(betweenVisits > 5_000, "idle gaps: " + betweenVisits);
        assertTrue(inVisit > 5 * betweenVisits, "in-visit gaps: " + inVisit);
    }

    @Test
    void someVisitsEndWithALogoutAndPurchasesFollowAddToCart() {
        long logouts = events.stream().filter(e -> e.get("type").asText().equals("logout")).count();
        long purchases = events.stream().filter(e -> e.get("type").asText().equals("purchase")).count();
        long carts = events.stream().filter(e -> e.get("type").asText().equals("add_to_cart")).count();
        assertTrue(logouts > EVENTS / 100, "logouts: " + logouts);
        assertTrue(purchases > EVENTS / 200 && purchases < carts, "purchases: " + purchases + ", carts: " + carts);
    }

    @Test
    void eventTimesMostlyIncreaseWithAFewEventsSecondsOrMinutesLate() {
        long maxSoFar = Long.MIN_VALUE;
        int late = 0;
        int secondsLate = 0;
        int minutesLate = 0;
        for (JsonNode e : events) {
            long t = Instant.parse(e.get("ts").asText()).toEpochMilli();
            if (t < maxSoFar) {
                late++;
                secondsLate += maxSoFar - t >= 2_000 ? 1 : 0;
                minutesLate += maxSoFar - t >= 60_000 ? 1 : 0;
                assertTrue(maxSoFar - t <= 10 * 60_000, () -> "late: " + e);
            }
            maxSoFar = Math.max(maxSoFar, t);
        }
        assertTrue(late < EVENTS / 5, "late: " + late);
        assertTrue(secondsLate > EVENTS / 200 && secondsLate < EVENTS / 20, "seconds late: " + secondsLate);
        assertTrue(minutesLate > 0 && minutesLate < EVENTS / 100, "minutes late: " + minutesLate);
    }
}
