package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeltaDimensionJoinTest {
    static final StructType CLICKS = new StructType()
            .add("user", DataTypes.StringType).add("ts", DataTypes.TimestampType);
    static final StructType USERS = new StructType()
            .add("user", DataTypes.StringType).add("country", DataTypes.StringType);

    final SparkSession spark = TestSpark.get();
    @TempDir
    Path dir;

    Dataset<Row> users(Row... rows) {
        return spark.createDataFrame(List.of(rows), USERS);
    }

    StreamScenario scenario(io.streampatterns.core.Step step) {
        return StreamScenario.of(spark, CLICKS, step::apply).start();
    }

    @Test
    void updateOfTheDeltaTableIsSeenFromTheNextBatchWhoeverWritesIt() throws IOException {
        String path = dir.resolve("users").toString();
        users(row("u1", "FR"), row("u2", "DE")).write().format("delta").save(path);
        try (StreamScenario s = scenario(DeltaDimensionJoin.of(DeltaDimensionJoin.Options.of(path, "user").withBroadcast()))) {
            Step first = s.send(row("u1", ts("10:00")), row("u3", ts("10:00")));
            assertEquals(List.of("[u1,2024-05-01 10:00:00.0,FR]", "[u3,2024-05-01 10:00:00.0,null]"), Rows.sorted(first.rows()));

            users(row("u1", "ES"), row("u3", "IT")).write().format("delta").mode("overwrite").save(path);
            Step second = s.send(row("u1", ts("10:01")), row("u2", ts("10:01")), row("u3", ts("10:01")));
            assertEquals(List.of("[u1,2024-05-01 10:01:00.0,ES]", "[u2,2024-05-01 10:01:00.0,null]",
                    "[u3,2024-05-01 10:01:00.0,IT]"), Rows.sorted(second.rows()));

            overwriteDeltaExternally(dir.resolve("users"), users(row("u1", "PT")));
            Step third = s.send(row("u1", ts("10:02")));
            assertEquals(List.of("[u1,2024-05-01 10:02:00.0,PT]"), Rows.sorted(third.rows()));
        }
    }

    @Test
    void innerOnlyDropsEventsWithoutDimensionRow() {
        String path = dir.resolve("users").toString();
        users(row("u1", "FR")).write().format("delta").save(path);
        try (StreamScenario s = scenario(DeltaDimensionJoin.of(DeltaDimensionJoin.Options.of(path, "user").innerOnly()))) {
            Step step = s.send(row("u1", ts("10:00")), row("u2", ts("10:00")));
            assertEquals(List.of("[u1,2024-05-01 10:00:00.0,FR]"), Rows.sorted(step.rows()));
        }
    }

    @Test
    void pitfallCachedDimensionStaysStaleWhenAnotherApplicationUpdatesTheTable() throws IOException {
        Path table = dir.resolve("users");
        users(row("u1", "FR")).write().format("delta").save(table.toString());
        Dataset<Row> cached = spark.read().format("delta").load(table.toString()).cache();
        cached.count();
        try (StreamScenario s = scenario(DeltaDimensionJoin.withStatic(cached, DeltaDimensionJoin.Options.of(table.toString(), "user")))) {
            s.send(row("u1", ts("10:00")));
            overwriteDeltaExternally(table, users(row("u1", "ES")));
            assertEquals(List.of("[u1,2024-05-01 10:01:00.0,FR]"), Rows.sorted(s.send(row("u1", ts("10:01"))).rows()));
        } finally {
            cached.unpersist();
        }
    }

    @Test
    void pitfallPlainParquetDimensionMissesFilesAddedAfterStart() throws IOException {
        Path parquet = dir.resolve("users-parquet");
        users(row("u1", "FR")).write().parquet(parquet.toString());
        Dataset<Row> plain = spark.read().parquet(parquet.toString());
        try (StreamScenario s = scenario(DeltaDimensionJoin.withStatic(plain, DeltaDimensionJoin.Options.of(parquet.toString(), "user")))) {
            s.send(row("u1", ts("10:00")));
            addParquetFileExternally(parquet, users(row("u2", "DE")));
            assertEquals(2, spark.read().parquet(parquet.toString()).count(), "a fresh read sees the new file");
            Step after = s.send(row("u2", ts("10:01")));
            assertEquals(List.of("[u2,2024-05-01 10:01:00.0,null]"), Rows.sorted(after.rows()));
        }
    }

    @Test
    void missingTableOrKeyIsAConfigError() {
        String path = dir.resolve("nothing").toString();
        ConfigException e = assertThrows(ConfigException.class, () -> DeltaDimensionJoin.of(
                DeltaDimensionJoin.Options.of(path, "user")).apply(spark.createDataFrame(List.of(), CLICKS)));
        assertEquals(true, e.getMessage().startsWith("static join: cannot read Delta table at " + path), e.getMessage());
    }

    /** Another application commits a new version: written on a copy of the table, its new files copied back. */
    private void overwriteDeltaExternally(Path table, Dataset<Row> rows) throws IOException {
        Path copy = dir.resolve("other-app-copy");
        copyTree(table, copy);
        rows.write().format("delta").mode("overwrite").save(copy.toString());
        copyTree(copy, table);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Another writer drops a file into the directory: nothing in this Spark session is told about it. */
    private void addParquetFileExternally(Path target, Dataset<Row> rows) throws IOException {
        Path staging = dir.resolve("staging");
        rows.coalesce(1).write().parquet(staging.toString());
        try (Stream<Path> files = Files.list(staging)) {
            Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.move(part, target.resolve("part-external.parquet"));
        }
    }
}
