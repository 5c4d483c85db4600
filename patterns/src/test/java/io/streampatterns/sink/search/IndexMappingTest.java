package io.streampatterns.sink.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IndexMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType CLICKS = StructType.fromDDL("event_id STRING, user_id STRING, ts TIMESTAMP, type STRING, "
            + "amount DOUBLE, status INT, bytes BIGINT, ok BOOLEAN, day DATE, tags ARRAY<STRING>, geo STRUCT<lat: DOUBLE, city: STRING>");

    @Test
    void timestampsAreDatesStringsKeywordsWithFullTextExceptIdentifiersNumbersKeepTheirWidth() throws Exception {
        String text = ",\"fields\":{\"text\":{\"type\":\"text\"}}";
        String kw = "{\"type\":\"keyword\",\"ignore_above\":8191";
        assertEquals(JSON.readTree("{\"properties\":{"
                + "\"event_id\":" + kw + "},"
                + "\"user_id\":" + kw + "},"
                + "\"ts\":{\"type\":\"date\"},"
                + "\"type\":" + kw + text + "},"
                + "\"amount\":{\"type\":\"double\"},"
                + "\"status\":{\"type\":\"integer\"},"
                + "\"bytes\":{\"type\":\"long\"},"
                + "\"ok\":{\"type\":\"boolean\"},"
                + "\"day\":{\"type\":\"date\"},"
                + "\"tags\":" + kw + text + "},"
                + "\"geo\":{\"properties\":{\"lat\":{\"type\":\"double\"},\"city\":" + kw + text + "}}}"
                + "}}"), IndexMapping.of(CLICKS, "event_id"));
    }

    @Test
    void anIndexThatMapsAFieldWithAnIncompatibleTypeConflictsNamingTheField() throws Exception {
        JsonNode existing = JSON.readTree("{\"properties\":{\"ts\":{\"type\":\"long\"},\"type\":{\"type\":\"text\"},"
                + "\"amount\":{\"type\":\"float\"},\"status\":{\"type\":\"keyword\"},\"geo\":{\"properties\":{\"lat\":{\"type\":\"keyword\"}}}}}");
        assertEquals(List.of("ts: the index maps it as long, the schema needs date",
                        "status: the index maps it as keyword, the schema needs integer",
                        "geo.lat: the index maps it as keyword, the schema needs double"),
                IndexMapping.conflicts(existing, IndexMapping.of(CLICKS, "event_id")));
    }

    @Test
    void compatibleWiderTypesAndMissingFieldsAreNoConflict() throws Exception {
        JsonNode existing = JSON.readTree("{\"properties\":{\"ts\":{\"type\":\"date_nanos\"},\"status\":{\"type\":\"long\"},"
                + "\"bytes\":{\"type\":\"double\"},\"user_id\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\"}}}}}");
        assertEquals(List.of(), IndexMapping.conflicts(existing, IndexMapping.of(CLICKS, "event_id")));
    }

    @Test
    void missingListsOnlyTheFieldsTheIndexLacks() throws Exception {
        StructType two = StructType.fromDDL("event_id STRING, ts TIMESTAMP");
        assertEquals(JSON.readTree("{\"properties\":{\"ts\":{\"type\":\"date\"}}}"),
                IndexMapping.missing(JSON.readTree("{\"properties\":{\"event_id\":{\"type\":\"keyword\"}}}"), IndexMapping.of(two, "event_id")));
        assertNull(IndexMapping.missing(JSON.readTree("{\"properties\":{\"event_id\":{},\"ts\":{}}}"), IndexMapping.of(two, "event_id")));
    }
}
