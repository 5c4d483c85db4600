package io.streampatterns.cli;

import io.streampatterns.apps.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code streampatterns --help} (and every command with subcommands) lists each command with its whole one-line summary. */
class MainHelpTest {
    @Test
    void everyCommandIsListedWithItsWholeSummaryOnOneLine() {
        checkCommandList(Cli.commandLine(new Main()));
    }

    private static void checkCommandList(CommandLine parent) {
        if (parent.getSubcommands().isEmpty()) {
            return;
        }
        List<String> usage = parent.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
        parent.getSubcommands().forEach((name, sub) -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertFalse(description.length == 0, name + " has no description");
            String summary = description[0];
            assertTrue(summary.matches("[A-Z].*[^ ]\\.$") && !summary.contains(". "),
                    name + ": the summary is one sentence, capitalised and ending with a period: '" + summary + "'");
            Pattern line = Pattern.compile("^ +" + Pattern.quote(name) + " {2,}" + Pattern.quote(summary) + "$");
            assertTrue(usage.stream().anyMatch(l -> line.matcher(l).matches()),
                    name + ": listed with its whole summary on one line in\n" + String.join("\n", usage));
            checkCommandList(sub);
        });
    }
}
