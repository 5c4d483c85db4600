package io.streampatterns.apps.io;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import io.streampatterns.testkit.RecordFuzzer;
import io.streampatterns.testkit.TestDepth;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzed records ({@link RecordFuzzer}: truncated, random bytes, invalid UTF-8, wrong types, enormous fields, deep
 * nesting, extreme and malformed timestamps, repeated keys, blank lines) through the two input paths users run: files
 * (the streaming file source, parsed while read) and Kafka values (parsed by the validation step). Nothing crashes, good
 * + quarantined = records, every quarantined record has a reason, every good record has its event time, the valid
 * records among them are good. A few hundred cases per format in CI, 10,000 in the long mode; seeded.
 */
class InputFuzzTest {
    private static final int CASES = TestDepth.of(300, 10_000);
    private static final long SEED = 20261202L;

    @TempDir
    Path dir;

    enum Input {
        JSON_LINES(RecordFormat.JSON_LINES, "clickstream", "2024-05-01T00:00:00Z", List.of(
                "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T00:00:00Z\",\"type\":\"click\",\"page\":\"/a\",\"amount\":1.5,\"device\":\"web\"}",
                "{\"event_id\":\"e2\",\"user_id\":\"u2\",\"ts\":\"2024-05-01T00:00:00Z\",\"type\":\"view\",\"campaign\":null}")),
        CSV(RecordFormat.CSV, "clickstream", "2024-05-01T00:00:00Z", List.of(
                "e1,u1,2024-05-01T00:00:00Z,click,/a,spring,1.5,web", "e2,u2,2024-05-01T00:00:00Z,view,,,,")),
        APACHE_LOG(RecordFormat.APACHE_LOG, "apache-log", "01/May/2024:00:00:00 +0000", List.of(
                "127.0.0.1 - - [01/May/2024:00:00:00 +0000] \"GET /a/b?x=1 HTTP/1.1\" 200 123 \"-\" \"curl/8.0\" 1234",
                "10.0.0.2 - bob [01/May/2024:00:00:00 +0000] \"POST /api HTTP/1.1\" 503 - \"http://x/\" \"Mozilla/5.0 (X11)\""));

        final RecordFormat format;
        final String schema;
        final String timestamp;
        final List<String> valid;

        Input(RecordFormat format, String schema, String timestamp, List<String> valid) {
            this.format = format;
            this.schema = schema;
            this.timestamp = timestamp;
            this.valid = valid;
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void fuzzedFilesAreEachReadAsGoodOrQuarantinedWithAReason(Input input) throws Exception {
        SparkSession spark = TestSpark.get();
        List<byte[]> records = new RecordFuzzer(SEED, input.valid, input.timestamp).records(CASES);
        Files.write(Files.createDirectories(dir.resolve("in")).resolve("fuzz.txt"), RecordFuzzer.file(records));
        EventSchema schema = BuiltinSchemas.resolve(input.schema, null, null);
        Dataset<Row> validated = RawInput.files(spark, dir.resolve("in"), 0, input.format, schema)
                .transform(Validation.of(schema, input.format, Validation.ValidationOptions.defaults())::apply);
        String table = "fuzz_files_" + input.name().toLowerCase();
        StreamingQuery q = validated.writeStream().format("memory").queryName(table).trigger(Trigger.AvailableNow()).start();
        q.awaitTermination();
        assertAccounted(spark.table(table), records.stream().filter(r -> !RecordFuzzer.isBlank(r)).toList(), input, schema);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void fuzzedKafkaValuesAreEachGoodOrQuarantinedWithAReason(Input input) {
        SparkSession spark = TestSpark.get();
        List<byte[]> records = new RecordFuzzer(SEED + 1, input.valid, input.timestamp).records(CASES);
        List<Row> values = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            values.add(RowFactory.create(records.get(i), "fuzz/0@" + i));
        }
        StructType kafka = new StructType().add("value", DataTypes.BinaryType).add("source", DataTypes.StringType);
        EventSchema schema = BuiltinSchemas.resolve(input.schema, null, null);
        Dataset<Row> validated = spark.createDataFrame(values, kafka).selectExpr("CAST(value AS STRING) AS raw", "source")
                .transform(Validation.of(schema, input.format, Validation.ValidationOptions.defaults())::apply);
        assertAccounted(validated, records, input, schema);
    }

    private static void assertAccounted(Dataset<Row> validated, List<byte[]> records, Input input, EventSchema schema) {
        Dataset<Row> out = validated.cache();
        long good = out.where(col(Validation.REASON).isNull()).count();
        long quarantined = out.where(col(Validation.REASON).isNotNull()).count();
        assertEquals(records.size(), good + quarantined, input + ": good " + good + " + quarantined " + quarantined);
        assertEquals(0, out.where(col(Validation.REASON).isNotNull().and(trim(col(Validation.REASON)).equalTo(""))).count(),
                input + ": a quarantined record without a reason");
        assertEquals(0, out.where(col(Validation.REASON).isNull().and(col(schema.eventTime()).isNull())).count(),
                input + ": a good record without its event time");
        long valid = records.stream().filter(r -> input.valid.stream().anyMatch(v -> Arrays.equals(r, v.getBytes(StandardCharsets.UTF_8)))).count();
        assertTrue(valid > 0 && good >= valid, input + ": " + valid + " valid records, " + good + " good");
        out.unpersist();
    }
}
