package io.streampatterns.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A command of the project run in its own JVM (same classpath as the tests), for crash tests: start it, wait for a
 * condition on what it wrote, kill it with SIGKILL, start it again.
 */
public final class ChildJvm implements AutoCloseable {
    private static final List<String> SPARK_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM (local[2], 2 shuffle partitions), output to {@code log}. */
    public static ChildJvm start(Path log, String mainClass, String... args) {
        return start(log, List.of(), mainClass, args);
    }

    /** As {@link #start(Path, String, String...)}, with more JVM options (e.g. {@code -Dname=value}). */
    public static ChildJvm start(Path log, List<String> jvmOptions, String mainClass, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = new ArrayList<>(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.sql.shuffle.partitions=2"));
        options.addAll(jvmOptions);
        return startWithClassPath(log, cp, options, mainClass, args);
    }

    /** {@code mainClass} in a new JVM with the flags Spark needs and nothing else of the tests: {@code classPath}, {@code jvmOptions}. */
    public static ChildJvm startWithClassPath(Path log, String classPath, List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SPARK_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildJvm(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds (polling every 20 ms) or the child exits; false if it exited first or timed out. */
    public boolean awaitCondition(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    /** SIGKILL: no shutdown hook, no clean stop. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager would: shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for a normal exit and returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("child did not exit within " + timeout + "; log: " + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of the child's output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Number of files in {@code dir} whose name matches {@code regex} (0 if it does not exist). */
    public static long countFiles(Path dir, String regex) {
        File[] files = dir.toFile().listFiles((d, name) -> name.matches(regex));
        return files == null ? 0 : files.length;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
