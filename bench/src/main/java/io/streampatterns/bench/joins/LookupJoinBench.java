package io.streampatterns.bench.joins;

import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.core.ConfigException;
import io.streampatterns.joins.CountingLookupSource;
import io.streampatterns.joins.LookupJoin;
import io.streampatterns.joins.PostgresLookup;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Database queries a {@link LookupJoin} issues per 10 000 events: per row (batch size 1, no cache: what a naive
 * per-event lookup does), batched without cache, and batched with the executor cache.
 *
 * <p>Workload: a PostgreSQL table of {@code merchants} rows (created here, dropped afterwards), 10 000 events on
 * uniformly random merchant keys (1% of them one of {@code merchants / 100} unknown keys), fed as {@code microBatches} batches through the join; the
 * cache lives across batches as it does across micro-batches. Queries are counted by {@link CountingLookupSource},
 * which adds up in local mode only. With the cache, a chunk queries only if it holds a key not seen before (or
 * expired): the figure depends on how many distinct merchants 10 000 events touch. The joined rows of every way
 * are the same (the table does not change): their digest is what the ways must agree on.</p>
 */
public final class LookupJoinBench {
    public static final int EVENTS = 10_000;
    static final StructType EVENTS_SCHEMA = new StructType()
            .add("merchant", DataTypes.StringType).add("amount", DataTypes.DoubleType);

    private final SparkSession spark;
    private final String url;
    private final String user;
    private final String password;
    private final int merchants;
    private final int microBatches;
    private final int batchSize;

    private LookupJoinBench(SparkSession spark, String url, String user, String password, int merchants, int microBatches,
                            int batchSize) {
        this.spark = spark;
        this.url = url;
        this.user = user;
        this.password = password;
        this.merchants = merchants;
        this.microBatches = microBatches;
        this.batchSize = batchSize;
    }

    /**
     * A PostgreSQL database at {@code url} where a scratch table may be created ({@code password} may be null: then
     * {@value JdbcTarget#PASSWORD_ENV} or the URL's); lookups of {@code batchSize} events per query.
     */
    public static LookupJoinBench of(SparkSession spark, String url, String user, String password, int merchants,
                                     int microBatches, int batchSize) {
        ConfigException.check(merchants > 0, "merchants must be positive");
        ConfigException.check(microBatches > 0 && microBatches <= EVENTS, "micro-batches must be in 1.." + EVENTS);
        ConfigException.check(batchSize > 0, "batch size must be positive");
        JdbcTarget.of(url, "check", "id");
        return new LookupJoinBench(spark, url, user, password, merchants, microBatches, batchSize);
    }

    /** Queries per 10 000 events for each way. */
    public static final class Result {
        public final long perRowQueries;
        public final long batchedQueries;
        public final long cachedQueries;

        Result(long perRow, long batched, long cached) {
            this.perRowQueries = perRow;
            this.batchedQueries = batched;
            this.cachedQueries = cached;
        }

        /** How many times fewer queries the cached join issues than per-row lookups. */
        public double cachedVsPerRow() {
            return (double) perRowQueries / Math.max(cachedQueries, 1);
        }

        /** How many times fewer queries the cache saves over batching alone. */
        public double cachedVsBatched() {
            return (double) batchedQueries / Math.max(cachedQueries, 1);
        }

        @Override
        public String toString() {
            return String.format("queries per %d events: per-row=%d batched=%d batched+cache=%d (%.0fx fewer than per-row)",
                    EVENTS, perRowQueries, batchedQueries, cachedQueries, cachedVsPerRow());
        }
    }

    /** The three ways, on the same events. */
    public enum Way {
        /** One query per event: batch size 1, no cache. */
        PER_ROW,
        /** One query per chunk of events, no cache. */
        BATCHED,
        /** One query per chunk of events for the keys the executor cache does not hold. */
        BATCHED_CACHED
    }

    /** Queries per 10 000 events for each way (each on a fresh table). */
    public Result run() throws Exception {
        return new Result(queries(measure(Way.PER_ROW)), queries(measure(Way.BATCHED)), queries(measure(Way.BATCHED_CACHED)));
    }

    /**
     * Runs the 10 000 events through the join {@code way} on a fresh table (created before and dropped after the
     * measured part): events per database query ({@link Measured#per}), the digest of the joined rows, {@code queries}.
     */
    public Measured measure(Way way) throws Exception {
        String table = "lookup_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        createTable(table);
        try {
            CountingLookupSource source = CountingLookupSource.of(PostgresLookup.connect(target(table), List.of()),
                    table + "-" + way);
            LookupJoin.Options o = LookupJoin.Options.of("merchant", source)
                    .withBatchSize(way == Way.PER_ROW ? 1 : batchSize)
                    .withCache(way == Way.BATCHED_CACHED ? 1_000_000 : 0, Duration.ofMinutes(10));
            List<List<Row>> batches = events();
            Digests.Sum digest = new Digests.Sum();
            Measured m = Measured.of(EVENTS, () -> {
                for (List<Row> batch : batches) {
                    Dataset<Row> joined = spark.createDataFrame(batch, EVENTS_SCHEMA).transform(LookupJoin.of(o)::apply);
                    digest.add(joined, Arrays.stream(joined.columns()).map(functions::col).toArray(Column[]::new));
                }
                return null;
            });
            return m.per(source.queries()).digest(digest.digest()).with("queries", source.queries());
        } finally {
            execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static long queries(Measured m) {
        return (long) m.figures().get("queries");
    }

    private List<List<Row>> events() {
        SplittableRandom random = new SplittableRandom(7);
        List<List<Row>> batches = new ArrayList<>();
        int perBatch = EVENTS / microBatches;
        int unknown = Math.max(1, merchants / 100);
        for (int b = 0; b < microBatches; b++) {
            int n = b == microBatches - 1 ? EVENTS - perBatch * (microBatches - 1) : perBatch;
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String key = random.nextInt(100) == 0 ? "unknown-" + random.nextInt(unknown) : String.valueOf(random.nextInt(merchants));
                rows.add(RowFactory.create(key, random.nextDouble() * 100));
            }
            batches.add(rows);
        }
        return batches;
    }

    private void createTable(String table) {
        execute("CREATE TABLE " + table + " (id text PRIMARY KEY, name text, risk int)");
        try (Connection c = target(table).connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " SELECT g::text, 'merchant ' || g, g % 10 "
                     + "FROM generate_series(0, ?) g")) {
            st.setInt(1, merchants - 1);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill " + table + ": " + e.getMessage(), e);
        }
    }

    private JdbcTarget target(String table) {
        JdbcTarget t = JdbcTarget.of(url, table, "id");
        t = user == null ? t : t.withUser(user);
        return password == null ? t : t.withPassword(password);
    }

    private void execute(String sql) {
        try (Connection c = target("scratch").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql.split(" \\(")[0] + " failed: " + e.getMessage(), e);
        }
    }
}
