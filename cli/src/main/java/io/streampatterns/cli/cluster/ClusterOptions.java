package io.streampatterns.cli.cluster;

import io.streampatterns.core.ConfigException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code cluster start} starts: {@code workers} worker JVMs of {@code cores} cores and {@code memoryMb} MiB each
 * (what each offers to executors; Spark's default executor takes 1 GiB, so a worker of less runs none), state and
 * logs under {@code dir}.
 */
public record ClusterOptions(int workers, int cores, int memoryMb, Path dir) {
    static final int MAX_WORKERS = 16;
    /** Spark refuses executors below 450 MiB (1.5 × its 300 MiB reserve). */
    static final int MIN_MEMORY_MB = 512;
    private static final Pattern MEMORY = Pattern.compile("(\\d{1,7})([mg])");

    public ClusterOptions {
        ConfigException.check(workers >= 1 && workers <= MAX_WORKERS,
                "--workers: must be between 1 and " + MAX_WORKERS + ", was " + workers);
        ConfigException.check(cores >= 1, "--cores: must be at least 1, was " + cores);
        ConfigException.check(memoryMb >= MIN_MEMORY_MB,
                "--memory: must be at least " + MIN_MEMORY_MB + "m (an executor needs 450m), was " + memoryMb + "m");
        ConfigException.check(dir != null, "--dir: required");
    }

    /** Checked from the command's option values; {@code memory} as Spark writes it: {@code 512m}, {@code 1g}. */
    public static ClusterOptions of(int workers, int cores, String memory, Path dir) {
        return new ClusterOptions(workers, cores, memoryMb(memory), dir);
    }

    static int memoryMb(String memory) {
        Matcher m = MEMORY.matcher(memory == null ? "" : memory.strip().toLowerCase(Locale.ROOT));
        ConfigException.check(m.matches(), "--memory: cannot parse '" + memory + "' as a size (e.g. 512m, 1g)");
        long mb = Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
        ConfigException.check(mb <= Integer.MAX_VALUE, "--memory: '" + memory + "' is too large");
        return (int) mb;
    }

    /** The default run directory, {@code ~/.streampatterns/cluster}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".streampatterns", "cluster");
    }
}
