package io.streampatterns.cli;

import io.streampatterns.core.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the pipelines run ({@code --master URL}, else {@code SPARK_MASTER}, else {@code local[*]}) and, off the local
 * master, how the project's code reaches the executors: {@code spark.jars} names the assembly jar
 * ({@code assembly/target/streampatterns-assembly-*.jar}, built by {@code mvn package}) or, when it was not built, the
 * project's module jars ({@code cli/target/lib/streampatterns-*.jar} and the cli jar; the cluster must then hold Delta,
 * the Kafka connector and the other libraries itself). Both are set as system properties, which the SparkSession that
 * {@code core.SparkSessions} builds later reads; a {@code spark.jars} set already (spark-submit sets it to the submitted
 * jar) is kept.
 */
public final class SparkMaster {
    static final String MASTER = "spark.master";
    static final String JARS = "spark.jars";
    private static final Pattern VALID = Pattern.compile("local(\\[[^\\]]+\\])?|local-cluster\\[[^\\]]+\\]|spark://.+|yarn|k8s://.+");
    private static final Pattern LOCAL = Pattern.compile("local(\\[[^\\]]+\\])?");

    private SparkMaster() {
    }

    /** Uses {@code master} for the sessions this JVM builds; {@code home} is the project's directory, if known. */
    public static void use(String master, Optional<Path> home) {
        ConfigException.check(master != null && VALID.matcher(master).matches(),
                "--master: '" + master + "' is not a Spark master URL (local[*], spark://HOST:PORT, yarn, k8s://https://HOST:PORT)");
        System.setProperty(MASTER, master);
        if (isLocal(master) || !System.getProperty(JARS, "").isBlank()) {
            return;
        }
        List<Path> jars = home.map(SparkMaster::executorJars).orElse(List.of());
        ConfigException.check(!jars.isEmpty(), "--master: no jar of the project to ship to the executors of " + master
                + " (build it with mvn package, run bin/streampatterns, or spark-submit the assembly jar)");
        System.setProperty(JARS, jars.stream().map(p -> p.toAbsolutePath().toUri().toString()).collect(Collectors.joining(",")));
    }

    /** SPARK_MASTER when no master is set yet (spark-submit sets spark.master, which then wins). */
    public static void fromEnvironment(Optional<Path> home) {
        String env = System.getenv("SPARK_MASTER");
        if (env != null && !env.isBlank() && System.getProperty(MASTER) == null) {
            use(env.strip(), home);
        }
    }

    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /** The assembly jar when built, else the module jars; empty when neither is there. */
    static List<Path> executorJars(Path home) {
        Optional<Path> assembly = assemblyJar(home);
        if (assembly.isPresent()) {
            return List.of(assembly.get());
        }
        Stream<Path> modules = jarsIn(home.resolve("cli/target/lib")).filter(p -> name(p).startsWith("streampatterns-"));
        return Stream.concat(modules, jarsIn(home.resolve("cli/target")).filter(p -> name(p).startsWith("streampatterns-cli-")))
                .sorted().toList();
    }

    /** {@code assembly/target/streampatterns-assembly-VERSION.jar}, if built. */
    public static Optional<Path> assemblyJar(Path home) {
        return jarsIn(home.resolve("assembly/target")).filter(p -> name(p).startsWith("streampatterns-assembly-")).findFirst();
    }

    /**
     * The project's directory: {@code streampatterns.home} (set by {@code bin/streampatterns}), else the build tree this
     * class was loaded from ({@code cli/target/classes} or {@code cli/target/*.jar}); empty inside the assembly jar.
     */
    public static Optional<Path> home() {
        String property = System.getProperty("streampatterns.home");
        if (property != null) {
            return Optional.of(Path.of(property));
        }
        try {
            Path code = Path.of(SparkMaster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && name(target).equals("target") && target.getParent() != null
                    && name(target.getParent()).equals("cli")) {
                return Optional.ofNullable(target.getParent().getParent());
            }
            return Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static Stream<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> name(p).endsWith(".jar")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path p) {
        return p.getFileName() == null ? "" : p.getFileName().toString();
    }
}
