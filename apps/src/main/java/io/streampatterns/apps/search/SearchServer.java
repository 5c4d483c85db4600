package io.streampatterns.apps.search;

import io.streampatterns.core.ConfigException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A real single-node OpenSearch 2.19 on 127.0.0.1, in a JVM of its own (module {@code search}): OpenSearch's Lucene,
 * Jackson and log4j must not meet Spark's on one classpath. The child JVM runs from {@code search/target/classes}
 * and the jars Maven copied to {@code search/target/lib}; nothing is downloaded at run time.
 *
 * <pre>{@code
 * try (SearchServer search = SearchServer.start(SearchServer.Options.defaults())) {
 *     String url = search.url();   // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>The child reads its standard input until it closes: this JVM holds the other end, so the search server ends
 * with it, even when this JVM is killed with SIGKILL. {@link #close()} stops it with SIGTERM (a clean node close).</p>
 */
public final class SearchServer implements AutoCloseable {
    static final String MAIN = "io.streampatterns.search.SearchServerMain";
    static final String READY = "ready url=";
    /** Overrides where the server's classpath is found (default: {@code <home>/search/target/{classes,lib}}). */
    public static final String CLASSPATH_PROPERTY = "streampatterns.search.classpath";

    private final Process process;
    private final String url;

    private SearchServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the server and returns once it answers (cluster yellow or green); a {@link ConfigException} if it cannot start. */
    public static SearchServer start(Options o) {
        int port = o.port == 0 ? freePort() : requireFree(o.port);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + o.heap, "-Xmx" + o.heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.disable.jmx=true", "-cp", classpath(), MAIN, String.valueOf(port)));
        if (o.data != null) {
            cmd.add(o.data.toAbsolutePath().toString());
        }
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.redirectError(o.log == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(o.log.toFile()));
            p = pb.start();
        } catch (IOException e) {
            throw new ConfigException("cannot start the search server JVM: " + e.getMessage(), e);
        }
        String url = awaitReady(p, o.startTimeout, o.output);
        return new SearchServer(p, url);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the server ends (by itself or by {@link #close()}); returns its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGTERM (the node closes cleanly), then SIGKILL if it has not ended within 30 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Reads the child's stdout until its ready line; every other line goes to {@code output}. */
    private static String awaitReady(Process p, Duration timeout, Consumer<String> output) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!ready.isDone() && line.startsWith(READY)) {
                        ready.complete(line.substring(READY.length()).split(" ")[0]);
                    } else {
                        output.accept(line);
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
            ready.completeExceptionally(new IllegalStateException("the search server exited with code " + exitCode(p)));
        }, "search-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException("the search server did not start: " + e.getCause().getMessage()
                    + " (its log is on stderr, or in the log file given)", e.getCause());
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new ConfigException("the search server did not start within " + timeout, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    /**
     * The search server's classpath: {@value #CLASSPATH_PROPERTY} if set; else {@code search/target/classes} and
     * {@code search/target/lib/*} under the project home ({@code streampatterns.home}, set by the launcher, or the
     * nearest directory above the working directory holding {@code search/pom.xml}).
     */
    static String classpath() {
        String explicit = System.getProperty(CLASSPATH_PROPERTY);
        if (explicit != null) {
            return explicit;
        }
        Path module = home().resolve("search").resolve("target");
        ConfigException.check(Files.isDirectory(module.resolve("lib")) && Files.isDirectory(module.resolve("classes")),
                "the search server is not built (" + module + "/{classes,lib} missing): run mvn package (bin/streampatterns does)");
        return module.resolve("classes") + File.pathSeparator + module.resolve("lib") + File.separator + "*";
    }

    private static Path home() {
        String home = System.getProperty("streampatterns.home");
        if (home != null) {
            return Path.of(home);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("search").resolve("pom.xml"))) {
                return d;
            }
        }
        throw new ConfigException("cannot find the project home (set -Dstreampatterns.home or -D" + CLASSPATH_PROPERTY + ")");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static int requireFree(int port) {
        ConfigException.check(port > 0 && port <= 65535, "--port must be between 1 and 65535 (or 0 for any free port), got " + port);
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return port;
        } catch (IOException e) {
            throw new ConfigException("search port " + port + " on 127.0.0.1 is not available: " + e.getMessage());
        }
    }

    /** How to start the server: port (0 = any free), data directory (null = temporary), heap, where its log goes. */
    public static final class Options {
        final int port;
        final Path data;
        final String heap;
        final Path log;
        final Consumer<String> output;
        final Duration startTimeout;

        private Options(int port, Path data, String heap, Path log, Consumer<String> output, Duration startTimeout) {
            this.port = port;
            this.data = data;
            this.heap = heap;
            this.log = log;
            this.output = output;
            this.startTimeout = startTimeout;
        }

        /** Any free port, temporary data, 1 GiB heap, its log on this JVM's stderr, 3 minutes to start. */
        public static Options defaults() {
            return new Options(0, null, "1g", null, System.err::println, Duration.ofMinutes(3));
        }

        public Options port(int p) {
            return new Options(p, data, heap, log, output, startTimeout);
        }

        /** Keep indices in {@code dir} (kept across restarts); null: a temporary directory deleted on exit. */
        public Options data(Path dir) {
            return new Options(port, dir, heap, log, output, startTimeout);
        }

        public Options heap(String h) {
            ConfigException.check(h != null && h.matches("\\d+[mMgG]"), "search heap must be like 512m or 1g, got '" + h + "'");
            return new Options(port, data, h, log, output, startTimeout);
        }

        /** Append the server's log (and stdout lines) to {@code file} instead of this JVM's stderr. */
        public Options log(Path file) {
            return new Options(port, data, heap, file, line -> append(file, line), startTimeout);
        }

        private static void append(Path file, String line) {
            try {
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                // a lost log line must not stop the server
            }
        }
    }
}
