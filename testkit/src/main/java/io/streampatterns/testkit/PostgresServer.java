package io.streampatterns.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, run from the Debian package's binaries
 * ({@code /usr/lib/postgresql/<newest version>/bin}): a fresh data directory under the temp dir, its own free
 * port on 127.0.0.1 only, its own unix socket directory, fsync off. Host connections need the password
 * ({@code scram-sha-256}) of the user {@link #user()}, who owns the database of {@link #jdbcUrl()}.
 *
 * <p>Running as root, {@code initdb} and {@code pg_ctl} run as the {@code postgres} user (initdb refuses root).
 * Use {@link #shared()} in tests (one server per JVM, stopped by a shutdown hook; do not close it), or
 * {@code new PostgresServer().start()} in try-with-resources for a private one.</p>
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path PG_ROOT = Paths.get("/usr/lib/postgresql");
    private static final String USER = "streampatterns";
    private static final String DATABASE = "streampatterns";
    private static final int START_ATTEMPTS = 3;
    private static PostgresServer shared;

    private final String password = "pw-" + UUID.randomUUID();
    private Path home;
    private Path bin;
    private int port;

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer server = new PostgresServer().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** Creates a data directory and starts the server; a no-op if it is running. */
    public synchronized PostgresServer start() {
        if (home != null) {
            return this;
        }
        bin = binDir();
        try {
            home = Files.createTempDirectory("streampatterns-pg");
            initdb();
            startOnFreePort();
            try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
            return this;
        } catch (IOException | SQLException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        requireRunning();
        return url(DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** A new connection to the test database (the caller closes it). */
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    /** The rows of {@code sql}, each as its column values joined by '|' (NULL as "null"). */
    public java.util.List<String> rows(String sql) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = connection(); java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    /** Stops the server process, keeping its data and port (an outage); {@link #restart} ends it. */
    public synchronized void stop() {
        requireRunning();
        run(pgCtl("-m", "fast", "-w", "stop"));
    }

    /** Starts the server stopped by {@link #stop} again, on the same port with the same data. */
    public synchronized void restart() {
        requireRunning();
        run(pgCtl("-l", home.resolve("server.log").toString(), "-o", "-p " + port, "-w", "-t", "60", "start"));
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (home == null) {
            return;
        }
        try {
            if (Files.exists(home.resolve("data/postmaster.pid"))) {
                run(pgCtl("-m", "fast", "-w", "stop"));
            }
        } finally {
            deleteRecursively(home);
            home = null;
        }
    }

    private void initdb() throws IOException {
        Path pwfile = home.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        Files.createDirectories(home.resolve("socket"));
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", home.toString()));
        }
        run(asPostgres(bin.resolve("initdb").toString(), "-D", home.resolve("data").toString(),
                "-U", USER, "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        Files.delete(pwfile);
        String settings = "\n# streampatterns test server\n"
                + "listen_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + home.resolve("socket") + "'\n"
                + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        Files.writeString(home.resolve("data/postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Picks a free port and starts; retries if another process took the port in between. */
    private void startOnFreePort() throws IOException {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                run(pgCtl("-l", home.resolve("server.log").toString(), "-o", "-p " + port, "-w", "-t", "60", "start"));
                return;
            } catch (IllegalStateException e) {
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + logTail(), e);
                }
            }
        }
    }

    private List<String> pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString()));
        cmd.addAll(List.of(args));
        return asPostgres(cmd.toArray(String[]::new));
    }

    private static List<String> asPostgres(String... cmd) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        return full;
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private void requireRunning() {
        if (home == null) {
            throw new IllegalStateException("PostgreSQL server not started");
        }
    }

    /** The newest installed server's bin directory; a clear message if the package is missing. */
    private static Path binDir() {
        try (Stream<Path> versions = Files.isDirectory(PG_ROOT) ? Files.list(PG_ROOT) : Stream.empty()) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found under " + PG_ROOT
                            + "/<version>/bin; install with: apt-get install -y postgresql (or scripts/ensure-postgres.sh)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs {@code cmd} in the server's home directory; throws with its output unless it exits 0 within 2 minutes. */
    private void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
