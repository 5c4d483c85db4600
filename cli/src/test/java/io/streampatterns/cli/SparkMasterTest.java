package io.streampatterns.cli;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --master}: the master the sessions get, and the jars that carry the project's code to executors. */
class SparkMasterTest {
    private String savedMaster;
    private String savedJars;

    @BeforeEach
    void save() {
        savedMaster = System.getProperty(SparkMaster.MASTER);
        savedJars = System.getProperty(SparkMaster.JARS);
        System.clearProperty(SparkMaster.MASTER);
        System.clearProperty(SparkMaster.JARS);
    }

    @AfterEach
    void restore() {
        restore(SparkMaster.MASTER, savedMaster);
        restore(SparkMaster.JARS, savedJars);
    }

    @Test
    void aLocalMasterShipsNothing(@TempDir Path home) throws IOException {
        buildTree(home, true);
        SparkMaster.use("local[2]", Optional.of(home));
        assertEquals("local[2]", System.getProperty(SparkMaster.MASTER));
        assertNull(System.getProperty(SparkMaster.JARS));
    }

    @Test
    void aClusterGetsTheAssemblyJarWhenBuilt(@TempDir Path home) throws IOException {
        buildTree(home, true);
        SparkMaster.use("spark://127.0.0.1:7077", Optional.of(home));
        assertEquals(home.resolve("assembly/target/streampatterns-assembly-0.1.0.jar").toUri().toString(),
                System.getProperty(SparkMaster.JARS));
    }

    @Test
    void withoutTheAssemblyJarTheModuleJarsAreShipped(@TempDir Path home) throws IOException {
        buildTree(home, false);
        assertEquals(List.of(home.resolve("cli/target/lib/streampatterns-apps-0.1.0.jar"),
                        home.resolve("cli/target/lib/streampatterns-patterns-0.1.0.jar"),
                        home.resolve("cli/target/streampatterns-cli-0.1.0.jar")),
                SparkMaster.executorJars(home));
    }

    @Test
    void jarsThatSparkSubmitSetAreKept(@TempDir Path home) throws IOException {
        buildTree(home, true);
        System.setProperty(SparkMaster.JARS, "file:/submitted.jar");
        SparkMaster.use("yarn", Optional.of(home));
        assertEquals("file:/submitted.jar", System.getProperty(SparkMaster.JARS));
    }

    @Test
    void aClusterWithNothingToShipIsAConfigurationError(@TempDir Path home) {
        ConfigException e = assertThrows(ConfigException.class, () -> SparkMaster.use("k8s://https://k:6443", Optional.of(home)));
        assertTrue(e.getMessage().startsWith("--master: no jar of the project to ship to the executors of k8s://"), e.getMessage());
    }

    @Test
    void aBadUrlIsOneLineNamingTheOptionAndExitCode2WhereverItIsWritten() {
        for (List<String> args : List.of(List.of("--master", "spark:/x", "cluster", "status"),
                List.of("cluster", "status", "--master", "spark:/x"))) {
            StringWriter err = new StringWriter();
            CommandLine cl = Cli.commandLine(new Main());
            cl.setErr(new PrintWriter(err));
            assertEquals(Cli.CONFIG_ERROR, cl.execute(args.toArray(String[]::new)));
            assertEquals("error: --master: 'spark:/x' is not a Spark master URL (local[*], spark://HOST:PORT, yarn, "
                    + "k8s://https://HOST:PORT)", err.toString().lines().findFirst().orElse(""), args.toString());
        }
    }

    @Test
    void everyCommandTakesTheOptionAfterItsName(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        CommandLine cl = Cli.commandLine(new Main());
        cl.setOut(new PrintWriter(out));
        assertEquals(3, cl.execute("cluster", "status", "--dir", dir.toString(), "--master", "local[3]"));
        assertEquals("local[3]", System.getProperty(SparkMaster.MASTER));
        assertTrue(out.toString().startsWith("no cluster runs in "), out.toString());
    }

    private static void buildTree(Path home, boolean assembly) throws IOException {
        for (String jar : List.of("cli/target/lib/streampatterns-patterns-0.1.0.jar", "cli/target/lib/streampatterns-apps-0.1.0.jar",
                "cli/target/lib/delta-spark_4.2_2.13-4.4.0.jar", "cli/target/streampatterns-cli-0.1.0.jar")) {
            Files.createDirectories(home.resolve(jar).getParent());
            Files.createFile(home.resolve(jar));
        }
        if (assembly) {
            Files.createDirectories(home.resolve("assembly/target"));
            Files.createFile(home.resolve("assembly/target/streampatterns-assembly-0.1.0.jar"));
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
