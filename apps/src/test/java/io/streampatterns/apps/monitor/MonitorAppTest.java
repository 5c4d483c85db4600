package io.streampatterns.apps.monitor;

import io.streampatterns.quarantine.QuarantineTap;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static io.streampatterns.testkit.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scripted log lines through {@link MonitorApp#build}: minutes and sliding windows, per endpoint group and overall. */
class MonitorAppTest {
    static final StructType RAW = new StructType().add("raw", DataTypes.StringType).add("source", DataTypes.StringType);

    static Row line(int client, String hhmmss, String path, int status, String bytes, Long micros) {
        String l = "10.0.0." + client + " - - [01/May/2024:" + hhmmss + " +0000] \"GET " + path
                + " HTTP/1.1\" " + status + " " + bytes + " \"-\" \"curl/8\"" + (micros == null ? "" : " " + micros);
        return row(l, "test:" + hhmmss);
    }

    static StreamScenario scenario() {
        MonitorApp.Options o = MonitorApp.Options.of(Path.of("unused").toUri()).withWatermark(java.time.Duration.ofMinutes(1));
        return StreamScenario.of(TestSpark.get(), RAW,
                df -> MonitorApp.build(TestSpark.get(), MonitorApp.input(df, o, QuarantineTap.Reread.unsupported()), o))
                .mode("append").start();
    }

    /** "endpoint window HH:mm requests 4xx 5xx bytes bytes_p50 latency_p50 clients". */
    static List<String> show(List<Row> rows, String window) {
        return rows.stream().filter(r -> window.equals(r.getAs("window")))
                .map(r -> r.getAs("endpoint") + " " + r.getAs("window") + " "
                        + ((java.sql.Timestamp) r.getAs("window_start")).toInstant().toString().substring(11, 16) + " "
                        + r.getAs("requests") + " " + r.getAs("errors_4xx") + " " + r.getAs("errors_5xx") + " " + r.getAs("bytes")
                        + " " + r.getAs("bytes_p50") + " " + r.getAs("latency_ms_p50") + " " + r.getAs("clients"))
                .sorted().collect(Collectors.toList());
    }

    static List<String> allTraffic(Step step, String window) {
        return show(step.rows(), window).stream().filter(r -> r.startsWith("* ")).collect(Collectors.toList());
    }

    @Test
    void eachLineCountsInItsMinuteForItsEndpointGroupAndForAllTraffic() {
        try (StreamScenario s = scenario()) {
            Step first = s.send(line(1, "10:00:01", "/images/a.png", 200, "1000", 2000L),
                    line(2, "10:00:59", "/images/b.png?x=1", 404, "-", 4000L),
                    line(3, "10:00:30", "/favicon.ico", 503, "300", 1000L),
                    line(1, "10:01:10", "/api/users/7", 200, "50", 3000L));
            assertEquals(List.of(), show(first.rows(), "1m"), "no minute is closed before the watermark passes it");
            Step second = s.send(line(2, "10:02:30", "/api/users/8", 500, "70", 5000L));
            assertEquals(List.of(
                    "* 1m 10:00 3 1 1 1300 300.0 2.0 3",
                    "/ 1m 10:00 1 0 1 300 300.0 1.0 1",
                    "/images 1m 10:00 2 1 0 1000 0.0 2.0 2"), show(second.rows(), "1m"));
            assertEquals(List.of("* 5m/1m 09:56 3 1 1 1300 300.0 2.0 3"), allTraffic(second, "5m/1m"),
                    "the first 5-minute window ends at 10:01, behind the watermark 10:01:30");
            Step third = s.send(line(3, "10:09:00", "/api/x", 200, "1", null));
            assertEquals(List.of(
                    "* 1m 10:01 1 0 0 50 50.0 3.0 1",
                    "* 1m 10:02 1 0 1 70 70.0 5.0 1",
                    "/api 1m 10:01 1 0 0 50 50.0 3.0 1",
                    "/api 1m 10:02 1 0 1 70 70.0 5.0 1"), show(third.rows(), "1m"));
            assertEquals(List.of(
                    "* 5m/1m 09:57 4 1 1 1350 50.0 2.0 3",
                    "* 5m/1m 09:58 5 1 2 1420 70.0 3.0 3",
                    "* 5m/1m 09:59 5 1 2 1420 70.0 3.0 3",
                    "* 5m/1m 10:00 5 1 2 1420 70.0 3.0 3",
                    "* 5m/1m 10:01 2 0 1 120 50.0 3.0 2",
                    "* 5m/1m 10:02 1 0 1 70 70.0 5.0 1"), allTraffic(third, "5m/1m"),
                    "5-minute windows of all traffic closed by the watermark 10:08 (p50: the lower median)");
        }
    }

    @Test
    void closedMinutesAreAlsoUpsertedIntoPostgresOncePerBatch(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        io.streampatterns.testkit.PostgresServer pg = io.streampatterns.testkit.PostgresServer.shared();
        Path in = java.nio.file.Files.createDirectories(dir.resolve("in"));
        List<String> lines = new java.util.ArrayList<>();
        for (int m = 0; m < 5; m++) {
            for (int i = 0; i <= m; i++) {
                lines.add(line(i, "10:0" + m + ":1" + i, "/p/" + i, i == 0 ? 500 : 200, "10", 1000L).getString(0));
            }
        }
        java.nio.file.Files.write(in.resolve("access.log"), lines);
        MonitorApp.Options o = MonitorApp.Options.of(dir.resolve("out").toUri()).withWatermark(java.time.Duration.ZERO)
                .withWarehouse(io.streampatterns.sink.jdbc.JdbcTarget.of(pg.jdbcUrl(), "monitor_minutes_it", "window_start")
                        .withUser(pg.user()).withPassword(pg.password()));
        org.apache.spark.sql.SparkSession spark = TestSpark.get();
        org.apache.spark.sql.streaming.StreamingQuery q = MonitorApp.startMetrics(spark, MonitorFiles.input(spark, in, o), o, dir.resolve("ckpt").toUri(),
                org.apache.spark.sql.streaming.Trigger.AvailableNow());
        q.awaitTermination();
        // the watermark (no delay) closes every minute but the newest
        assertEquals(List.of("10:00|1|1|10", "10:01|2|1|20", "10:02|3|1|30", "10:03|4|1|40"),
                pg.rows("SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI'), "
                        + "requests, errors_5xx, bytes FROM monitor_minutes_it ORDER BY window_start"));
        assertEquals(4, spark.read().format("delta").load(dir.resolve("out/requests_per_minute").toString()).count());
    }
}
