package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LookupJoinTest {
    static final StructType PAYMENTS = new StructType()
            .add("merchant", DataTypes.StringType).add("ts", DataTypes.TimestampType);

    final PostgresServer pg = PostgresServer.shared();

    PostgresLookup merchants(String table, String keyType) throws SQLException {
        try (Connection c = pg.connection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id " + keyType + " PRIMARY KEY, name text, risk int, limit_eur numeric(10,2))");
            st.execute("INSERT INTO " + table + " VALUES (1, 'Shop One', 3, 100.50), (2, 'Shop Two', NULL, 20.00)");
        }
        return PostgresLookup.connect(JdbcTarget.of(pg.jdbcUrl(), table, "id").withUser(pg.user()).withPassword(pg.password()),
                List.of());
    }

    StreamScenario scenario(LookupJoin.Options o) {
        return StreamScenario.of(TestSpark.get(), PAYMENTS, in -> LookupJoin.of(o).apply(in)).start();
    }

    @Test
    void oneQueryPerBatchOfKeysAndMissingKeysAreExplicit() throws SQLException {
        CountingLookupSource source = CountingLookupSource.of(merchants("m_batched", "text"), "batched");
        try (StreamScenario s = scenario(LookupJoin.Options.of("merchant", source))) {
            Step first = s.send(row("1", ts("10:00")), row("2", ts("10:00")), row("1", ts("10:01")),
                    row("9", ts("10:02")), row(null, ts("10:03")), row("2", ts("10:04")));
            assertEquals(List.of(
                    "[1,2024-05-01 10:00:00.0,Shop One,3,100.50,true]",
                    "[1,2024-05-01 10:01:00.0,Shop One,3,100.50,true]",
                    "[2,2024-05-01 10:00:00.0,Shop Two,null,20.00,true]",
                    "[2,2024-05-01 10:04:00.0,Shop Two,null,20.00,true]",
                    "[9,2024-05-01 10:02:00.0,null,null,null,false]",
                    "[null,2024-05-01 10:03:00.0,null,null,null,false]"), Rows.sorted(first.rows()));
            assertEquals(1, source.queries());
            assertEquals(3, source.keysQueried());

            // all three keys cached, the missing one too: no query at all
            Step second = s.send(row("1", ts("10:05")), row("9", ts("10:06")));
            assertEquals(List.of("[1,2024-05-01 10:05:00.0,Shop One,3,100.50,true]",
                    "[9,2024-05-01 10:06:00.0,null,null,null,false]"), Rows.sorted(second.rows()));
            assertEquals(1, source.queries());
        }
    }

    @Test
    void withoutCacheEveryChunkQueriesItsKeysOnce() throws SQLException {
        CountingLookupSource source = CountingLookupSource.of(merchants("m_uncached", "text"), "uncached");
        try (StreamScenario s = scenario(LookupJoin.Options.of("merchant", source).withBatchSize(2)
                .withCache(0, Duration.ZERO))) {
            s.send(row("1", ts("10:00")), row("1", ts("10:00")), row("2", ts("10:00")), row("1", ts("10:00")),
                    row("3", ts("10:00")));
            assertEquals(3, source.queries());   // chunks [1,1] [2,1] [3]
            assertEquals(4, source.keysQueried());
            s.send(row("1", ts("10:01")));
            assertEquals(4, source.queries());
        }
    }

    @Test
    void numericKeyColumnMatchesStringEventKeys() throws SQLException {
        PostgresLookup source = merchants("m_numeric", "bigint");
        try (StreamScenario s = scenario(LookupJoin.Options.of("merchant", source).withPrefix("m_"))) {
            Step step = s.send(row("2", ts("10:00")), row("x", ts("10:00")));
            assertEquals(List.of("[2,2024-05-01 10:00:00.0,Shop Two,null,20.00,true]",
                    "[x,2024-05-01 10:00:00.0,null,null,null,false]"), Rows.sorted(step.rows()));
            assertEquals(List.of("merchant", "ts", "m_name", "m_risk", "m_limit_eur", "lookup_found"),
                    List.of(step.rows().get(0).schema().fieldNames()));
        }
    }

    @Test
    void unknownTableOrColumnIsAConfigError() {
        JdbcTarget target = JdbcTarget.of(pg.jdbcUrl(), "no_such_table", "id").withUser(pg.user()).withPassword(pg.password());
        ConfigException e = assertThrows(ConfigException.class, () -> PostgresLookup.connect(target, List.of()));
        assertEquals(true, e.getMessage().startsWith("lookup join: cannot read columns of no_such_table: "), e.getMessage());
    }
}
