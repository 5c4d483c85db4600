package io.streampatterns.sink.jdbc;

import io.streampatterns.core.ConfigException;
import org.postgresql.Driver;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;

/**
 * Where a JDBC sink writes: a PostgreSQL URL, credentials, a table ({@code name} or {@code schema.name}), the
 * key columns of its primary key, and the JDBC batch size (default 1000). Immutable; build with
 * {@link #of(String, String, String...)} and the {@code with...} methods.
 *
 * <p>The password is the explicit {@link #withPassword(String)} value, else the environment variable
 * {@value #PASSWORD_ENV} read by {@code of}, else whatever the URL carries ({@code ?password=...}).
 * {@link #toString()} and error messages never show it.</p>
 */
public final class JdbcTarget implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PASSWORD_ENV = "STREAMPATTERNS_JDBC_PASSWORD";
    public static final int DEFAULT_BATCH_SIZE = 1000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final List<String> keyColumns;
    private final int batchSize;

    private JdbcTarget(String url, String user, String password, String table, List<String> keyColumns, int batchSize) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.keyColumns = keyColumns;
        this.batchSize = batchSize;
    }

    /** A target table {@code table} at {@code url} ({@code jdbc:postgresql://host:port/db}), upserted on {@code keyColumns}. */
    public static JdbcTarget of(String url, String table, String... keyColumns) {
        ConfigException.check(url != null && url.startsWith("jdbc:postgresql:"),
                "JDBC URL must start with jdbc:postgresql://, got '" + (url == null ? "" : redact(url)) + "'");
        ConfigException.check(table != null && !table.isBlank(), "JDBC sink: a table name is required");
        ConfigException.check(keyColumns.length > 0, "JDBC sink: at least one key column is required for upserts");
        List<String> keys = List.of(keyColumns);
        ConfigException.check(keys.stream().noneMatch(String::isBlank) && new HashSet<>(keys).size() == keys.size(),
                "JDBC sink: key columns must be distinct and non-empty, got " + keys);
        return new JdbcTarget(url, null, System.getenv(PASSWORD_ENV), table, keys, DEFAULT_BATCH_SIZE);
    }

    public JdbcTarget withUser(String user) {
        return new JdbcTarget(url, user, password, table, keyColumns, batchSize);
    }

    public JdbcTarget withPassword(String password) {
        return new JdbcTarget(url, user, password, table, keyColumns, batchSize);
    }

    /** Rows per JDBC batch ({@code executeBatch}); must be positive. */
    public JdbcTarget withBatchSize(int batchSize) {
        ConfigException.check(batchSize > 0, "JDBC sink: batch size must be positive, got " + batchSize);
        return new JdbcTarget(url, user, password, table, keyColumns, batchSize);
    }

    public String table() {
        return table;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    public int batchSize() {
        return batchSize;
    }

    /** A new connection with {@code reWriteBatchedInserts=true} and 5-second connect and login timeouts. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        // The driver class itself, not DriverManager, which does not see drivers of Spark's --jars class loader.
        return new Driver().connect(url, props);
    }

    /** Opens and closes a connection; {@link ConfigException} with a one-line reason (no password) if that fails. */
    public void checkReachable() {
        try (Connection ignored = connect()) {
            // reachable and logged in
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (password != null && !password.isEmpty()) {
                reason = reason.replace(password, "***");
            }
            throw new ConfigException("cannot connect to " + url.split("\\?", 2)[0] + ": " + reason.replaceAll("\\s+", " ").trim(), e);
        }
    }

    /** The URL without its parameters (which may carry the password), for messages. */
    String address() {
        return url.split("\\?", 2)[0];
    }

    @Override
    public String toString() {
        return "JdbcTarget{url=" + redact(url) + ", user=" + user + ", password=" + (password == null ? "(none)" : "***")
                + ", table=" + table + ", keys=" + keyColumns + ", batchSize=" + batchSize + "}";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
