package io.streampatterns.sink.jdbc;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL statements generated from a Spark schema: quoted identifiers, values only as parameters. */
final class PgSql {
    static final String BATCHES_TABLE = "streampatterns_sink_batches";

    private PgSql() {
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code name} or {@code schema.name}, each part quoted. */
    static String quoteTable(String table) {
        return Arrays.stream(table.split("\\.", -1)).map(PgSql::quote).collect(Collectors.joining("."));
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with one column per field and the primary key on {@code keys}. */
    static String createTable(String table, StructType schema, List<String> keys) {
        checkKeys(schema, keys);
        String columns = Arrays.stream(schema.fields())
                .map(f -> quote(f.name()) + " " + pgType(f))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + quoteTable(table) + " (" + columns
                + ", PRIMARY KEY (" + quotedList(keys) + "))";
    }

    /** One-row {@code INSERT ... ON CONFLICT (keys) DO UPDATE SET} every non-key column (DO NOTHING if all are keys). */
    static String upsert(String table, StructType schema, List<String> keys) {
        checkKeys(schema, keys);
        List<String> names = Arrays.asList(schema.fieldNames());
        String params = names.stream().map(n -> "?").collect(Collectors.joining(", "));
        String updates = names.stream().filter(n -> !keys.contains(n))
                .map(n -> quote(n) + " = EXCLUDED." + quote(n))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + quoteTable(table) + " (" + quotedList(names) + ") VALUES (" + params + ")"
                + " ON CONFLICT (" + quotedList(keys) + ")"
                + (updates.isEmpty() ? " DO NOTHING" : " DO UPDATE SET " + updates);
    }

    static String createBatchesTable() {
        return "CREATE TABLE IF NOT EXISTS " + quote(BATCHES_TABLE) + " (sink_id text, batch_id bigint, \"rows\" bigint,"
                + " committed_at timestamptz, PRIMARY KEY (sink_id, batch_id))";
    }

    /** Binds the row's fields, in schema order, to parameters 1..n. */
    static void bindRow(PreparedStatement ps, Row row) throws SQLException {
        for (int i = 0; i < row.length(); i++) {
            bind(ps, i + 1, row.get(i));
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL); // untyped: the server takes the target column's type
        } else if (value instanceof Timestamp ts) {
            ps.setObject(index, ts.toInstant().atOffset(ZoneOffset.UTC));
        } else if (value instanceof Instant instant) {
            ps.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof Date date) {
            ps.setObject(index, date.toLocalDate());
        } else {
            ps.setObject(index, value); // String, numbers, Boolean, BigDecimal, byte[], LocalDate, LocalDateTime
        }
    }

    static String pgType(StructField field) {
        DataType t = field.dataType();
        if (t instanceof StringType) return "text";
        if (t instanceof LongType) return "bigint";
        if (t instanceof IntegerType) return "integer";
        if (t instanceof ShortType || t instanceof ByteType) return "smallint";
        if (t instanceof DoubleType) return "double precision";
        if (t instanceof FloatType) return "real";
        if (t instanceof BooleanType) return "boolean";
        if (t instanceof TimestampType) return "timestamptz";
        if (t instanceof TimestampNTZType) return "timestamp";
        if (t instanceof DateType) return "date";
        if (t instanceof BinaryType) return "bytea";
        if (t instanceof DecimalType d) {
            return "numeric(" + d.precision() + "," + d.scale() + ")";
        }
        throw new ConfigException("JDBC sink: column '" + field.name() + "' has type " + t.simpleString()
                + ", which the sink cannot write; cast it (e.g. to_json for structs, arrays and maps)");
    }

    private static void checkKeys(StructType schema, List<String> keys) {
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String k : keys) {
            ConfigException.check(names.contains(k), "JDBC sink: key column '" + k + "' is not a column of the batch " + names);
            ConfigException.check(!(schema.apply(k).dataType() instanceof BinaryType),
                    "JDBC sink: key column '" + k + "' is binary; use a string or number key");
        }
    }

    private static String quotedList(List<String> names) {
        return names.stream().map(PgSql::quote).collect(Collectors.joining(", "));
    }
}
