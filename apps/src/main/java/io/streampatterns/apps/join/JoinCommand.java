package io.streampatterns.apps.join;

import io.streampatterns.apps.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streampatterns join}: the four ways to enrich a stream, one subcommand each. */
@Command(name = "join", mixinStandardHelpOptions = true,
        subcommands = {StaticJoinCommand.class, TemporalJoinCommand.class, StreamJoinCommand.class, LookupJoinCommand.class},
        description = {"Enrich events with static, changing, streamed or looked-up data.",
                "Each subcommand writes the enriched events to a Delta table. Which one to use:",
                "",
                "  static    The reference data is a Delta table that changes now and then, and an event should see",
                "            the table as it is now. Re-read every micro-batch, so updates show from the next batch.",
                "  temporal  The reference data arrives as a change stream (CDC: upserts, deletes with a change time)",
                "            and an event must see the version valid at ITS event time, even if the change arrives",
                "            a bit later than the event. Results wait for the watermark.",
                "  stream    Both sides are event streams that relate within a time range (impression -> click within",
                "            10 minutes). Inner, or left outer with nulls once no match can come any more.",
                "  lookup    The reference data lives in PostgreSQL and is too big or too volatile to copy: batched",
                "            key lookups with an executor cache (size bound + TTL); missing keys flagged.",
                "",
                "Inputs are directories of JSON-lines files (picked up as they land); --once processes what is there"
                        + " and exits; records that do not parse go to OUTPUT_quarantine."})
public final class JoinCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Cli.main(new JoinCommand(), args);
    }
}
