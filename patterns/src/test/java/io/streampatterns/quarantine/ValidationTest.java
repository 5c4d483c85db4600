package io.streampatterns.quarantine;

import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValidationTest {
    static final StructType RAW = new StructType().add("raw", DataTypes.StringType).add("source", DataTypes.StringType);
    static final EventSchema CLICKS = EventSchema.fromDdl("clicks",
                    "event_id STRING NOT NULL, user_id STRING NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE, n INT, ok BOOLEAN", "ts")
            .withEventId("event_id")
            .withCheck("amount IS NULL OR amount >= 0", "amount must be >= 0");

    static List<String> check(RecordFormat format, EventSchema schema, String... lines) {
        SparkSession spark = TestSpark.get();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            rows.add(RowFactory.create(lines[i], "f:" + (i + 1)));
        }
        Dataset<Row> raw = spark.createDataFrame(rows, RAW);
        Dataset<Row> out = Validation.of(schema, format, Validation.ValidationOptions.defaults()
                .withMaxRecordChars(200)).apply(raw);
        List<String> result = new ArrayList<>();
        for (Row r : out.orderBy("source").collectAsList()) {
            String reason = r.getAs("reason");
            result.add(r.<String>getAs("source") + " " + (reason == null ? "ok " + r.getAs("ts") : reason));
        }
        return result;
    }

    @Test
    void everyBadJsonRecordGetsAReasonAndGoodOnesAreTyped() {
        String huge = "x".repeat(500);
        String hugeLine = "{\"event_id\":\"e8\",\"user_id\":\"" + huge + "\",\"ts\":\"2024-05-01T10:00:00Z\"}";
        List<String> out = check(RecordFormat.JSON_LINES, CLICKS,
                "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\",\"amount\":1.5,\"n\":3,\"ok\":true}",
                "{\"event_id\":\"e2\",\"user_id\":\"u1\",\"ts\":1714557600000}",
                "{\"event_id\":\"e3\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\"",
                "{\"event_id\":\"e4\",\"ts\":\"2024-05-01T10:00:00Z\"}",
                "{\"event_id\":\"e5\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\",\"amount\":\"abc\"}",
                "{\"event_id\":\"e6\",\"user_id\":\"u1\",\"ts\":\"yesterday\"}",
                "{\"event_id\":\"e7\",\"user_id\":\"u1\",\"ts\":\"2999-01-01T00:00:00Z\"}",
                hugeLine,
                "\u0000\u00ff\ufffd garbage \u0001",
                "[1,2,3]",
                "{\"event_id\":\"e9\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\",\"amount\":-3}",
                "{\"event_id\":\"e10\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\",\"ok\":\"maybe\",\"n\":2.5}");
        assertEquals(List.of(
                "f:1 ok 2024-05-01 10:00:00.0",
                "f:10 not a JSON object",
                "f:11 amount must be >= 0",
                "f:12 field 'n': cannot convert '2.5' to int",
                "f:2 ok 2024-05-01 10:00:00.0",
                "f:3 unparsable JSON",
                "f:4 missing required field 'user_id'",
                "f:5 field 'amount': cannot convert 'abc' to double",
                "f:6 field 'ts': cannot convert 'yesterday' to timestamp",
                "f:7 event time 'ts' = 2999-01-01 00:00:00 is more than 86400s in the future",
                "f:8 record too large: " + hugeLine.length() + " characters > limit 200",
                "f:9 not a JSON object"), out);
    }

    @Test
    void csvSkipsHeaderAndQuarantinesShortRows() {
        EventSchema s = EventSchema.fromDdl("t", "id STRING NOT NULL, ts TIMESTAMP NOT NULL, v DOUBLE", "ts");
        List<String> out = check(RecordFormat.CSV, s,
                "id,ts,v", "a,2024-05-01T10:00:00Z,1.0", "b,2024-05-01T10:00:00Z", "c,notatime,2");
        assertEquals(List.of(
                "f:2 ok 2024-05-01 10:00:00.0",
                "f:3 CSV record has 2 fields, expected 3",
                "f:4 field 'ts': cannot convert 'notatime' to timestamp"), out);
    }

    @Test
    void apacheCombinedLinesParseAndOthersAreQuarantined() {
        EventSchema s = EventSchema.fromDdl("apache", "client STRING NOT NULL, ts TIMESTAMP NOT NULL, method STRING, "
                + "path STRING, status INT NOT NULL, bytes BIGINT, agent STRING, response_us BIGINT", "ts");
        List<String> out = check(RecordFormat.APACHE_LOG, s,
                "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a.png HTTP/1.1\" 200 203023 \"http://x/\" \"Mozilla/5.0\"",
                "1.2.3.4 - - [17/May/2015:10:05:04 +0000] \"GET / HTTP/1.1\" 304 - \"-\" \"curl\" 1234",
                "1.2.3.4 - - [17/Mayy/2015:10:05:04 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"",
                "hello world");
        assertEquals(List.of(
                "f:1 ok 2015-05-17 10:05:03.0",
                "f:2 ok 2015-05-17 10:05:04.0",
                "f:3 field 'ts': cannot convert '17/Mayy/2015:10:05:04 +0000' to timestamp",
                "f:4 not in Apache combined log format"), out);
    }
}
