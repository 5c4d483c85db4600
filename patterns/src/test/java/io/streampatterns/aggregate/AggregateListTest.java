package io.streampatterns.aggregate;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregateListTest {

    @Test
    void eachFunctionGivesTheAggregateOfItsFactoryWithItsNames() {
        List<Aggregate<?>> list = AggregateList.parse("count as requests, sum(size) as bytes, "
                + "quantiles(latency_ms, 0.5, 0.99) as latency_, distinct(client) as clients_, stats(amount), "
                + "first(page) as entry_page, last_non_null(campaign) as campaign");
        assertEquals(List.of(
                List.of("requests"), List.of("bytes"), List.of("latency_p50", "latency_p99"), List.of("clients_distinct"),
                names(Aggregates.stats("amount")), List.of("entry_page"), List.of("campaign")),
                list.stream().map(AggregateListTest::names).toList());
        assertEquals(List.of("", "size", "latency_ms", "client", "amount", "page", "campaign"),
                list.stream().map(a -> a.input() == null ? "" : a.input()).toList());
    }

    @Test
    void withoutAsTheFactoryDefaultNamesAreKept() {
        assertEquals(List.of(List.of("count"), List.of("sum"), List.of("distinct")),
                AggregateList.parse("count(), sum(x), distinct(y)").stream().map(AggregateListTest::names).toList());
    }

    @Test
    void commasInsideParenthesesBelongToTheFunction() {
        assertEquals(1, AggregateList.parse("quantiles(x, 0.25, 0.5, 0.75)").size());
    }

    @Test
    void mistakesAreNamedWithTheItem() {
        assertMessage("median(x)", "unknown function 'median'");
        assertMessage("sum(a, b)", "sum(a, b): give exactly one column");
        assertMessage("first(page)", "first(page): name its column with 'as NAME'");
        assertMessage("quantiles(x)", "at least one rank");
        assertMessage("quantiles(x, half)", "rank 'half' is not a number");
        assertMessage("count, sum(x", "unbalanced parentheses");
        assertMessage("count as", "cannot read 'count as'");
        assertMessage(" ", "give at least one");
    }

    private static void assertMessage(String text, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> AggregateList.parse(text));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static List<String> names(Aggregate<?> a) {
        return Arrays.asList(a.output().fieldNames());
    }
}
