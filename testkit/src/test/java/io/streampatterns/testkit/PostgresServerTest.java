package io.streampatterns.testkit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresServerTest {
    @Test
    void startedServerCreatesInsertsAndSelectsThenStopsOnClose() throws Exception {
        String url;
        String password;
        try (PostgresServer pg = new PostgresServer().start()) {
            url = pg.jdbcUrl();
            password = pg.password();
            try (Connection c = pg.connection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id int PRIMARY KEY, name text)");
                st.execute("INSERT INTO t VALUES (2, 'b'), (1, 'a')");
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id, name FROM t ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getInt(1) + ":" + rs.getString(2));
                    }
                }
                assertEquals(List.of("1:a", "2:b"), rows);
            }
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, pg.user(), "wrong-password").close());
        }
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "streampatterns", password).close(),
                "server still accepts connections after close");
    }

    @Test
    void sharedServerIsOnePerJvmAndListensOnLoopback() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        assertEquals(pg, PostgresServer.shared());
        try (Connection c = pg.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('listen_addresses'), current_setting('fsync'), current_database()")) {
            rs.next();
            assertEquals(List.of("127.0.0.1", "off", "streampatterns"), List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
    }
}
