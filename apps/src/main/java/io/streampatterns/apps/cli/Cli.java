package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs a picocli command with the project's error conventions: a {@link ConfigException} (bad option
 * value, missing input, unreachable endpoint) or a usage error prints one line on stderr and gives exit
 * code 2; any other failure prints one line (what failed, its root cause, where the full trace is) and gives
 * exit code 1. Every command gets {@code --verbose}; run by {@link #main} its log goes to a file ({@link CliLog}).
 */
public final class Cli {
    public static final int CONFIG_ERROR = 2;
    static final String VERBOSE = "--verbose";
    private static final int MAX_MESSAGE = 200;

    private Cli() {
    }

    /** A {@link CommandLine} for {@code command} with the project's exception handlers and {@code --verbose}. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        addVerbose(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            Throwable root = rootConfigError(ex);
            if (root != null) {
                err.println("error: " + oneLine(root.getMessage()));
                err.flush();
                return CONFIG_ERROR;
            }
            // a failure we know is told with what to do; Spark's own text stays in the log file
            String line = FailureAdvice.of(ex).orElseGet(() -> summary(ex));
            Path log = CliLog.file();
            if (log != null) {
                LoggerFactory.getLogger(CliLog.FAILURE_LOGGER).error("{} failed", cmd.getCommandSpec().name(), ex);
                err.println("failed: " + line + " (full trace in " + log + ", or run again with " + VERBOSE + ")");
            } else {
                err.println("failed: " + line);
                if (verbose(parseResult)) {
                    ex.printStackTrace(err);
                }
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + oneLine(message(ex)));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return CONFIG_ERROR;
        });
        return cl;
    }

    /** Executes {@code command} with {@code args} and returns the exit code (the log stays as configured: tests, libraries). */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /**
     * The {@code main} of a command: executes it as {@link #execute} does, with the process's log in a file of its own
     * ({@link CliLog}, set up once the arguments parsed), then exits with the exit code.
     */
    public static void main(Object command, String... args) {
        CommandLine cl = commandLine(command);
        cl.setExecutionStrategy(parseResult -> {
            List<CommandLine> chain = parseResult.asCommandLineList();
            String name = chain.get(chain.size() - 1).getCommandSpec().qualifiedName("-");
            CliLog.start(name.startsWith("streampatterns-") ? name.substring("streampatterns-".length()) : name,
                    verbose(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        System.exit(cl.execute(args));
    }

    /** {@code --verbose} on {@code cl} and each of its subcommands, unless a command declares it itself. */
    private static void addVerbose(CommandLine cl) {
        if (!cl.getCommandSpec().optionsMap().containsKey(VERBOSE)) {
            cl.getCommandSpec().addOption(OptionSpec.builder(VERBOSE)
                    .description("Show Spark's log and full stack traces on the terminal (they always go to the log file).")
                    .build());
        }
        cl.getSubcommands().values().forEach(Cli::addVerbose);
    }

    private static boolean verbose(ParseResult parseResult) {
        for (CommandLine c : parseResult.asCommandLineList()) {
            if (c.getParseResult() != null && c.getParseResult().hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line for a failure: its message's first line, and the first line of its root cause when that says more
     * (Spark wraps a task's error in several layers; the root usually names what went wrong), each cut to a length.
     */
    static String summary(Throwable ex) {
        String top = firstLine(ex);
        Throwable root = ex;
        for (Throwable c = ex.getCause(); c != null && c != root; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                root = c;
            }
        }
        String cause = firstLine(root);
        return top.contains(cause) ? cut(top) : cut(top) + " (cause: " + cut(cause) + ")";
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.strip().split("\\R", 2)[0].strip();
    }

    private static String cut(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /**
     * A value our converters rejected reads {@code --option: what is wrong} (the converter cannot know the option's
     * name, picocli's own text would be "Invalid value for option '--gap': ..."); other usage errors as picocli says.
     */
    static String message(CommandLine.ParameterException ex) {
        if (ex.getCause() instanceof OptionValueException v && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName() + ": " + v.getMessage();
        }
        return ex.getMessage();
    }

    private static Throwable rootConfigError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConfigException) {
                return c;
            }
        }
        return null;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
