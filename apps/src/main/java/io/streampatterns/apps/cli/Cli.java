package io.streampatterns.apps.cli;

import io.streampatterns.core.ConfigException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs a picocli command with the project's error conventions: a {@link ConfigException} (bad option
 * value, missing input, unreachable endpoint) or a usage error prints one line on stderr and gives exit
 * code 2; any other failure prints its message and gives exit code 1.
 */
public final class Cli {
    public static final int CONFIG_ERROR = 2;

    private Cli() {
    }

    /** A {@link CommandLine} for {@code command} with the project's exception handlers. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            Throwable root = rootConfigError(ex);
            if (root != null) {
                err.println("error: " + oneLine(root.getMessage()));
                err.flush();
                return CONFIG_ERROR;
            }
            err.println("failed: " + oneLine(String.valueOf(ex.getMessage())));
            if (Boolean.getBoolean("streampatterns.debug")) {
                ex.printStackTrace(err);
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

    /** Executes {@code command} with {@code args} and returns the exit code. */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
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
