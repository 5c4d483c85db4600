package io.streampatterns.joins;

import io.delta.tables.DeltaTable;
import io.streampatterns.core.ConfigException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;

/**
 * Materialises a dimension change stream (CDC: upserts and deletes with a change time) as an SCD type-2 Delta
 * table: one row per version with {@code valid_from} (its change time), {@code valid_to} (the next change of the
 * key, upsert or delete; {@code null} while open) and {@code is_current}. Columns: the key, every change column
 * except the change time and the operation, then those three.
 *
 * <p>Used from {@code foreachBatch} ({@link #merger}). Each batch recomputes the history of the keys it touches
 * from the table's rows for those keys plus the new changes, so changes that arrive out of order (across
 * batches too) still end up in time order, and a replayed batch (at-least-once) rewrites the same rows:
 * the MERGE is idempotent. A delete is kept implicitly, as a {@code valid_to} with no version starting there.</p>
 *
 * <pre>{@code
 * changes.writeStream().foreachBatch(Scd2Table.merger(Scd2Table.Options.of("/lake/merchants_scd2", "merchant_id", "changed_at")))
 *        .option("checkpointLocation", ...).start();
 * }</pre>
 */
public final class Scd2Table {
    public static final String VALID_FROM = "valid_from";
    public static final String VALID_TO = "valid_to";
    public static final String IS_CURRENT = "is_current";
    private static final String DELETED = "__deleted";
    private static final String PRIORITY = "__priority";
    private static final String REMOVE = "__remove";

    private Scd2Table() {
    }

    /** Where the table lives and how to read the changes; immutable. */
    public static final class Options implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String key;
        private final String changeTime;
        private final String opColumn;
        private final String deleteOp;

        private Options(String path, String key, String changeTime, String opColumn, String deleteOp) {
            this.path = path;
            this.key = key;
            this.changeTime = changeTime;
            this.opColumn = opColumn;
            this.deleteOp = deleteOp;
        }

        /** The table at {@code path}; the operation column is {@code op}, a delete is {@code delete} (case-insensitive). */
        public static Options of(String path, String key, String changeTime) {
            ConfigException.check(path != null && !path.isBlank(), "SCD2 table: a path is required");
            ConfigException.check(key != null && !key.isBlank(), "SCD2 table: a key column is required");
            ConfigException.check(changeTime != null && !changeTime.isBlank(), "SCD2 table: a change time column is required");
            return new Options(path, key, changeTime, "op", "delete");
        }

        public Options withDeleteWhen(String column, String deleteValue) {
            ConfigException.check(column != null && !column.isBlank(), "SCD2 table: an operation column is required");
            ConfigException.check(deleteValue != null && !deleteValue.isBlank(), "SCD2 table: a delete value is required");
            return new Options(path, key, changeTime, column, deleteValue);
        }

        public String path() {
            return path;
        }
    }

    /** A {@code foreachBatch} function merging each batch of changes into the table. */
    public static VoidFunction2<Dataset<Row>, Long> merger(Options o) {
        Objects.requireNonNull(o, "options");
        return (batch, batchId) -> merge(batch, o);
    }

    /** Merges one batch of changes into the table, creating the table on first use. */
    public static void merge(Dataset<Row> changes, Options o) {
        Columns.require(changes, "changes", o.key, o.changeTime);
        Dataset<Row> batch = changes.persist();
        try {
            mergePersisted(batch, o);
        } finally {
            batch.unpersist();
        }
    }

    /** The table's schema for changes of {@code changes}' schema. */
    public static StructType tableSchema(StructType changes, Options o) {
        StructType t = new StructType();
        for (StructField f : changes.fields()) {
            if (!f.name().equals(o.changeTime) && !f.name().equals(o.opColumn)) {
                t = t.add(f.name(), f.dataType(), true);
            }
        }
        return t.add(VALID_FROM, DataTypes.TimestampType, true)
                .add(VALID_TO, DataTypes.TimestampType, true)
                .add(IS_CURRENT, DataTypes.BooleanType, true);
    }

    private static void mergePersisted(Dataset<Row> batch, Options o) {
        SparkSession spark = batch.sparkSession();
        StructType schema = tableSchema(batch.schema(), o);
        List<String> attrs = new ArrayList<>();
        for (String f : schema.fieldNames()) {
            if (!f.equals(o.key) && !f.equals(VALID_FROM) && !f.equals(VALID_TO) && !f.equals(IS_CURRENT)) {
                attrs.add(f);
            }
        }
        DeltaTable table = DeltaTable.createIfNotExists(spark).location(o.path).addColumns(schema).execute();
        Dataset<Row> existing = table.toDF().join(batch.select(o.key).distinct(), o.key, "left_semi").persist();
        try {
            Column isDelete = Arrays.asList(batch.columns()).contains(o.opColumn)
                    ? lower(trim(col(o.opColumn).cast("string"))).equalTo(o.deleteOp.toLowerCase())
                    .and(col(o.opColumn).isNotNull())
                    : lit(false);
            Dataset<Row> events = batch.filter(col(o.key).isNotNull())
                    .select(events(o.key, col(o.changeTime), isDelete, attrs, 0))
                    .union(existing.select(events(o.key, col(VALID_FROM), lit(false), attrs, 1)))
                    .union(impliedDeletes(existing, o.key).select(events(o.key, col(VALID_TO), lit(true), attrs, 1)));
            Dataset<Row> newest = events
                    .withColumn("__rank", row_number().over(Window.partitionBy(o.key, VALID_FROM).orderBy(PRIORITY)))
                    .filter(col("__rank").equalTo(1));
            Dataset<Row> versions = newest
                    .withColumn(VALID_TO, lead(VALID_FROM, 1).over(Window.partitionBy(o.key).orderBy(VALID_FROM)))
                    .filter(col(DELETED).equalTo(false))
                    .withColumn(IS_CURRENT, col(VALID_TO).isNull())
                    .select(withRemove(schema, false));
            Dataset<Row> removed = existing.join(versions, new String[]{o.key, VALID_FROM}, "left_anti")
                    .select(withRemove(schema, true));
            table.as("t").merge(versions.union(removed).as("s"),
                            "t.`" + o.key + "` = s.`" + o.key + "` AND t." + VALID_FROM + " = s." + VALID_FROM)
                    .whenMatched("s." + REMOVE).delete()
                    .whenMatched().updateExpr(assignments(schema))
                    .whenNotMatched("NOT s." + REMOVE).insertExpr(assignments(schema))
                    .execute();
        } finally {
            existing.unpersist();
        }
    }

    /** Closed versions with no version of the same key starting where they end: a delete ended them. */
    private static Dataset<Row> impliedDeletes(Dataset<Row> existing, String key) {
        Dataset<Row> starts = existing.select(col(key), col(VALID_FROM).as(VALID_TO));
        return existing.filter(col(VALID_TO).isNotNull()).join(starts, new String[]{key, VALID_TO}, "left_anti");
    }

    private static Column[] events(String key, Column time, Column deleted, List<String> attrs, int priority) {
        List<Column> c = new ArrayList<>();
        c.add(col(key));
        c.add(time.as(VALID_FROM));
        c.add(deleted.as(DELETED));
        attrs.forEach(a -> c.add(col(a)));
        c.add(lit(priority).as(PRIORITY));
        return c.toArray(new Column[0]);
    }

    private static Column[] withRemove(StructType schema, boolean remove) {
        List<Column> c = new ArrayList<>();
        for (String f : schema.fieldNames()) {
            c.add(col(f));
        }
        c.add(lit(remove).as(REMOVE));
        return c.toArray(new Column[0]);
    }

    private static Map<String, String> assignments(StructType schema) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : schema.fieldNames()) {
            m.put("`" + f + "`", "s.`" + f + "`");
        }
        return m;
    }
}
