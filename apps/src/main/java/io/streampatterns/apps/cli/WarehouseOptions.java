package io.streampatterns.apps.cli;

import io.streampatterns.sink.jdbc.JdbcTarget;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL sink options of the commands that can also upsert into a warehouse (a picocli mixin):
 * {@code --warehouse JDBC_URL [--warehouse-user USER] [--warehouse-table NAME]}. The password comes from the
 * environment variable {@code STREAMPATTERNS_JDBC_PASSWORD} or the URL, never from the command line.
 */
public final class WarehouseOptions {
    @Option(names = "--warehouse", paramLabel = "JDBC_URL",
            description = "Also upsert into PostgreSQL (password from env STREAMPATTERNS_JDBC_PASSWORD or the URL).")
    String url;

    @Option(names = "--warehouse-user", paramLabel = "USER", description = "Database user (or user= in the URL).")
    String user;

    @Option(names = "--warehouse-table", paramLabel = "NAME", description = "Warehouse table (default: the name of the output table).")
    String table;

    /** The target keyed on {@code keys}, in {@code --warehouse-table} or else {@code defaultTable}; null without {@code --warehouse}. */
    public JdbcTarget target(String defaultTable, String... keys) {
        if (url == null) {
            return null;
        }
        JdbcTarget t = JdbcTarget.of(url, table != null ? table : defaultTable, keys);
        return user != null ? t.withUser(user) : t;
    }
}
