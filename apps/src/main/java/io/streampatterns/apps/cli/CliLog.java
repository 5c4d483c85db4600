package io.streampatterns.apps.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.LayoutComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.LoggerComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.RootLoggerComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command run from the command line logs: everything (Spark's, Delta's, Kafka's and ours, stack traces
 * included) into a log file of its own, created on its first line; on the terminal only this project's messages,
 * without traces. Spark's start-up warnings (host name, AQE, truncated plan strings) and the hundreds of lines of a
 * failing task are noise for a user of the CLI, and exactly what a bug report needs: the file keeps them. With
 * {@code --verbose} the terminal shows everything too. Library users and tests keep {@code log4j2.properties}.
 *
 * <p>Directory: {@code -Dstreampatterns.logDir}, else {@code $STREAMPATTERNS_LOG_DIR}, else
 * {@code $TMPDIR/streampatterns-logs-USER}; file {@code COMMAND-yyyyMMdd-HHmmss-PID.log}.</p>
 */
public final class CliLog {
    static final String DIR_PROPERTY = "streampatterns.logDir";
    static final String DIR_ENV = "STREAMPATTERNS_LOG_DIR";
    /** The logger of a failed command's stack trace: outside {@code io.streampatterns}, so only the file (or --verbose) shows it. */
    static final String FAILURE_LOGGER = "streampatterns";
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5p %c{1}: %m%n";
    /** Libraries that log at WARN what is no news to anyone (as in log4j2.properties). */
    private static final Map<String, Level> QUIET = Map.of("kafka", Level.ERROR, "org.apache.kafka", Level.ERROR,
            "org.apache.spark.sql.execution.streaming.state", Level.ERROR, "org.apache.hadoop", Level.ERROR);
    private static volatile Path file;

    private CliLog() {
    }

    /** Sends the process's log to a new file for {@code command} (and to the terminal when {@code verbose}); returns the file. */
    public static Path start(String command, boolean verbose) {
        Path f = directory().resolve(command.replaceAll("[^A-Za-z0-9._-]+", "-") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + "-"
                + ProcessHandle.current().pid() + ".log");
        Configurator.reconfigure(configuration(f, verbose));
        file = f;
        return f;
    }

    /** The log file of this process, or null when {@link #start} was not called (a command run inside a test or a library). */
    public static Path file() {
        return file;
    }

    static Path directory() {
        String dir = System.getProperty(DIR_PROPERTY, System.getenv(DIR_ENV));
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "streampatterns-logs-" + System.getProperty("user.name", "user"));
    }

    private static BuiltConfiguration configuration(Path f, boolean verbose) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("streampatterns-cli");
        b.setStatusLevel(Level.ERROR);
        b.add(b.newAppender("file", "File").addAttribute("fileName", f.toString()).addAttribute("createOnDemand", true)
                .add(layout(b, true)));
        b.add(b.newAppender("terminal", "Console").addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
                .add(layout(b, verbose)));
        RootLoggerComponentBuilder root = b.newRootLogger(Level.WARN).add(b.newAppenderRef("file"));
        LoggerComponentBuilder ours = b.newLogger("io.streampatterns", Level.INFO);
        if (verbose) {
            root.add(b.newAppenderRef("terminal"));
        } else {
            ours.add(b.newAppenderRef("terminal")); // and, additive, the file
        }
        b.add(root);
        b.add(ours);
        QUIET.forEach((name, level) -> b.add(b.newLogger(name, level)));
        return b.build(false);
    }

    /** The pattern of log4j2.properties; on the quiet terminal without stack traces. */
    private static LayoutComponentBuilder layout(ConfigurationBuilder<BuiltConfiguration> b, boolean traces) {
        return b.newLayout("PatternLayout").addAttribute("pattern", PATTERN).addAttribute("alwaysWriteExceptions", traces);
    }
}
