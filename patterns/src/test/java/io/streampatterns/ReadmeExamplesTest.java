package io.streampatterns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code java} code block of the README compiles against the library as it is: a block of statements as the
 * body of a method whose parameters are the inputs the README names (events, raw, spark, ...), a block that declares a
 * class as a class of its own, both with the library's packages imported. Errors are reported with their README line.
 */
class ReadmeExamplesTest {
    static final Path README = Path.of("..", "README.md");
    static final Pattern BLOCK = Pattern.compile("^```java\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);
    static final Pattern TYPE_DECLARATION = Pattern.compile("^((public|final|abstract|static)\\s+)*(class|record|interface|enum)\\s");
    static final String IMPORTS = String.join("\n",
            "import io.streampatterns.aggregate.*;", "import io.streampatterns.alerts.*;", "import io.streampatterns.core.*;",
            "import io.streampatterns.dedup.*;", "import io.streampatterns.globalagg.*;", "import io.streampatterns.joins.*;",
            "import io.streampatterns.quarantine.*;", "import io.streampatterns.sessions.*;",
            "import io.streampatterns.sink.delta.*;", "import io.streampatterns.sink.jdbc.*;", "import io.streampatterns.windows.*;",
            "import org.apache.spark.sql.Dataset;", "import org.apache.spark.sql.Row;", "import org.apache.spark.sql.SparkSession;",
            "import org.apache.spark.sql.types.*;", "import java.io.*;", "import java.nio.file.Path;", "import java.time.*;",
            "import java.util.*;");
    /** The inputs the README's examples use, as the README lists them. */
    static final String INPUTS = "SparkSession spark, Dataset<Row> events, Dataset<Row> raw, Dataset<Row> checked, "
            + "Dataset<Row> perMinute, Dataset<Row> clicks, Dataset<Row> impressions, Dataset<Row> transactions, "
            + "Dataset<Row> merchantChanges, EventSchema schema, Path rulesFile, JdbcTarget target";

    /** A java block and the README line its code starts on. */
    record Block(int line, String code) {
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path out) throws IOException {
        List<Block> blocks = blocks(Files.readString(README));
        assertTrue(blocks.size() >= 10, "the README's examples are java blocks: found " + blocks.size());
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            units.add(unit(i, blocks.get(i)));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-classpath", classpath(), "-d", out.toString(), "-proc:none", "-Xlint:none");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, units).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Unit u = (Unit) d.getSource();
                errors.add("README.md:" + (u.block.line + d.getLineNumber() - 1 - u.prefixLines) + ": " + d.getMessage(null));
            }
        }
        assertEquals(List.of(), errors);
        assertTrue(ok);
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            int line = 1 + (int) markdown.substring(0, m.start(1)).chars().filter(c -> c == '\n').count();
            blocks.add(new Block(line, m.group(1)));
        }
        return blocks;
    }

    /** Block {@code i} as a compilation unit: a class of its own, or statements in a method taking the inputs. */
    static Unit unit(int i, Block b) {
        String name = "ReadmeExample" + i;
        if (TYPE_DECLARATION.matcher(b.code().stripLeading()).find()) {
            return new Unit(name, b, IMPORTS + "\n", "");
        }
        return new Unit(name, b, IMPORTS + "\nclass " + name + " {\nvoid run(" + INPUTS + ") throws Exception {\n", "}\n}\n");
    }

    /** A block wrapped into source; {@code prefixLines} lines come before the block's first line. */
    static final class Unit extends SimpleJavaFileObject {
        final Block block;
        final String source;
        final int prefixLines;

        Unit(String name, Block block, String prefix, String suffix) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.block = block;
            this.source = prefix + block.code() + suffix;
            this.prefixLines = (int) prefix.chars().filter(c -> c == '\n').count();
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }

    /** The test classpath, with the entries of a manifest-only jar (how surefire may pass it) expanded. */
    static String classpath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.trim().split("\\s+")) {
                            entries.add(Path.of(URI.create(u).isAbsolute() ? URI.create(u)
                                    : Path.of(e).getParent().toUri().resolve(u)).toString());
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
