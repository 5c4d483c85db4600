package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LookupSource} on a PostgreSQL table: {@code SELECT key, columns FROM table WHERE key = ANY(?)}, one
 * statement per call with all the keys as one array parameter. Connection settings (URL, user, password from
 * {@value JdbcTarget#PASSWORD_ENV}) come from a {@link JdbcTarget} whose key column is the lookup key.
 *
 * <p>{@link #connect} runs on the driver: it checks the server is reachable and reads the columns' types
 * (text/varchar → STRING, int2/int4 → INT, int8 → BIGINT, float4/float8 → DOUBLE, numeric → DECIMAL, bool →
 * BOOLEAN, timestamp[tz] → TIMESTAMP, date → DATE). Keys are matched by their string form, so a text key column
 * and a numeric event key (or the reverse) still meet.</p>
 */
public final class PostgresLookup implements LookupSource {
    private static final long serialVersionUID = 1L;

    private final JdbcTarget target;
    private final String key;
    private final List<String> columns;
    private final StructType schema;
    private final String keyType;

    private PostgresLookup(JdbcTarget target, String key, List<String> columns, StructType schema, String keyType) {
        this.target = target;
        this.key = key;
        this.columns = columns;
        this.schema = schema;
        this.keyType = keyType;
    }

    /**
     * A lookup of {@code target.table()} on its (single) key column, returning {@code columns} (all other columns
     * of the table if none are given). {@link ConfigException} if the server, table or a column is not there.
     */
    public static PostgresLookup connect(JdbcTarget target, List<String> columns) {
        Objects.requireNonNull(target, "target");
        ConfigException.check(target.keyColumns().size() == 1,
                "lookup join: exactly one key column is needed, got " + target.keyColumns());
        target.checkReachable();
        String key = target.keyColumns().get(0);
        String select = columns.isEmpty() ? "*" : quote(key) + ", " + String.join(", ", columns.stream().map(PostgresLookup::quote).toList());
        try (Connection c = target.connect();
             PreparedStatement st = c.prepareStatement("SELECT " + select + " FROM " + target.table() + " WHERE false");
             ResultSet rs = st.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            StructType schema = new StructType();
            List<String> names = new ArrayList<>();
            String keyType = null;
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnName(i);
                if (name.equals(key)) {
                    keyType = md.getColumnTypeName(i);
                } else {
                    names.add(name);
                    schema = schema.add(name, sparkType(md, i), true);
                }
            }
            ConfigException.check(keyType != null, "lookup join: table " + target.table() + " has no column '" + key + "'");
            return new PostgresLookup(target, key, List.copyOf(names), schema, keyType);
        } catch (SQLException e) {
            throw new ConfigException("lookup join: cannot read columns of " + target.table() + ": "
                    + String.valueOf(e.getMessage()).split("\\R")[0], e);
        }
    }

    @Override
    public String name() {
        return "postgres:" + target.table() + "(" + key + ")";
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public LookupSource.Session open() {
        return new PgConnection();
    }

    private final class PgConnection implements LookupSource.Session {
        private Connection connection;
        private PreparedStatement statement;

        @Override
        public Map<String, Row> fetch(Collection<String> keys) throws SQLException {
            if (connection == null) {
                connection = target.connect();
                List<String> select = new ArrayList<>();
                select.add(quote(key) + "::text");
                columns.forEach(c -> select.add(quote(c)));
                statement = connection.prepareStatement("SELECT " + String.join(", ", select) + " FROM " + target.table()
                        + " WHERE " + quote(key) + " = ANY(?)");
            }
            Array array = connection.createArrayOf(keyType, keyValues(keys));
            statement.setArray(1, array);
            Map<String, Row> found = new HashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(rs, i + 2, schema.fields()[i].dataType());
                    }
                    found.put(rs.getString(1), RowFactory.create(values));
                }
            } finally {
                array.free();
            }
            return found;
        }

        private Object[] keyValues(Collection<String> keys) {
            List<Object> out = new ArrayList<>(keys.size());
            for (String k : keys) {
                try {
                    switch (keyType) {
                        case "int2", "int4" -> out.add(Integer.valueOf(k));
                        case "int8" -> out.add(Long.valueOf(k));
                        default -> out.add(k);
                    }
                } catch (NumberFormatException e) {
                    // a key that is not a number cannot be in a numeric key column: leave it out, it is "not found"
                }
            }
            return out.toArray();
        }

        @Override
        public void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException e) {
                // closing after use; nothing left to do
            }
            connection = null;
        }
    }

    private static Object value(ResultSet rs, int i, DataType type) throws SQLException {
        Object v;
        if (type.equals(DataTypes.IntegerType)) {
            v = rs.getInt(i);
        } else if (type.equals(DataTypes.LongType)) {
            v = rs.getLong(i);
        } else if (type.equals(DataTypes.DoubleType)) {
            v = rs.getDouble(i);
        } else if (type.equals(DataTypes.BooleanType)) {
            v = rs.getBoolean(i);
        } else if (type.equals(DataTypes.TimestampType)) {
            v = rs.getTimestamp(i);
        } else if (type.equals(DataTypes.DateType)) {
            v = rs.getDate(i);
        } else if (type instanceof org.apache.spark.sql.types.DecimalType) {
            v = rs.getBigDecimal(i);
        } else {
            v = rs.getString(i);
        }
        return rs.wasNull() ? null : v;
    }

    private static DataType sparkType(ResultSetMetaData md, int i) throws SQLException {
        switch (md.getColumnType(i)) {
            case Types.SMALLINT, Types.INTEGER:
                return DataTypes.IntegerType;
            case Types.BIGINT:
                return DataTypes.LongType;
            case Types.REAL, Types.FLOAT, Types.DOUBLE:
                return DataTypes.DoubleType;
            case Types.NUMERIC, Types.DECIMAL: {
                int p = md.getPrecision(i);
                int s = md.getScale(i);
                return p <= 0 || p > 38 ? DataTypes.createDecimalType(38, 18) : DataTypes.createDecimalType(p, Math.max(0, s));
            }
            case Types.BOOLEAN, Types.BIT:
                return DataTypes.BooleanType;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
                return DataTypes.TimestampType;
            case Types.DATE:
                return DataTypes.DateType;
            default:
                return DataTypes.StringType;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return "PostgresLookup{" + name() + ", columns=" + columns + ", target=" + target + "}";
    }
}
