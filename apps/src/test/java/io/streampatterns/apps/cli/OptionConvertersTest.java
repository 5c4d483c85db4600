package io.streampatterns.apps.cli;

import io.streampatterns.apps.aggregate.AggregateCommand;
import io.streampatterns.apps.demo.DemoCommand;
import io.streampatterns.apps.ingest.IngestCommand;
import io.streampatterns.apps.join.JoinCommand;
import io.streampatterns.apps.monitor.MonitorCommand;
import io.streampatterns.apps.sessions.SessionsCommand;
import io.streampatterns.apps.stats.StatsCommand;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's converters and shared option groups, without Spark: one error shape for every duration option. */
class OptionConvertersTest {
    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Option(names = "--gap", converter = DurationConverter.Positive.class)
        Duration gap;

        @Option(names = "--watermark", converter = DurationConverter.class)
        Duration watermark;

        @Option(names = "--windows", split = ",", converter = SlidingWindowConverter.class)
        List<io.streampatterns.windows.SlidingWindow> windows;

        @Mixin
        WarehouseOptions warehouse;

        @Option(names = "--lake", converter = LocationConverter.class)
        URI lake;

        @Override
        public void run() {
        }
    }

    /** Exit code and stderr of {@code probe args}. */
    static String[] run(Probe probe, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(probe);
        cl.setErr(new PrintWriter(err));
        return new String[] {String.valueOf(cl.execute(args)), err.toString().lines().findFirst().orElse("")};
    }

    @Test
    void durationsParseInTheShortAndIsoForms() {
        Probe p = new Probe();
        assertEquals("0", run(p, "--gap", "90s", "--watermark", "PT0S")[0]);
        assertEquals(Duration.ofSeconds(90), p.gap);
        assertEquals(Duration.ZERO, p.watermark);
    }

    @Test
    void badValuesNameTheirOptionAndExitWith2() {
        assertEquals(List.of("2", "error: --gap: cannot parse 'soon' as a duration (e.g. 30s, 5m, 1h)"),
                List.of(run(new Probe(), "--gap", "soon")));
        assertEquals(List.of("2", "error: --gap: duration must be positive, got '0s'"), List.of(run(new Probe(), "--gap", "0s")));
        assertEquals(List.of("2", "error: --watermark: duration must not be negative, got '-PT1S'"),
                List.of(run(new Probe(), "--watermark", "-PT1S")));
        assertEquals(List.of("2", "error: --windows: cannot parse '5m' as SIZE/SLIDE (e.g. 5m/1m)"),
                List.of(run(new Probe(), "--windows", "5m")));
        assertEquals(List.of("2", "error: --windows: window slide (10m) must not be longer than the window size (5m)"),
                List.of(run(new Probe(), "--windows", "5m/10m")));
    }

    @Test
    void locationsAreUrisOfAnyFileSystemAndLocalPathsBecomeAbsolute() {
        Probe p = new Probe();
        assertEquals("0", run(p, "--lake", "hdfs://nn:8020/lake/")[0]);
        assertEquals("hdfs://nn:8020/lake", p.lake.toString());
        run(p, "--lake", "lake");
        assertEquals(Path.of("lake").toAbsolutePath().toUri().getPath(), p.lake.getPath());
        assertEquals("file", p.lake.getScheme());
        assertEquals(List.of("2", "error: --lake: not a location 'hdfs://nn:8020' (a path, or a URI such as"
                + " hdfs://namenode:8020/dir): no path in 'hdfs://nn:8020'"), List.of(run(new Probe(), "--lake", "hdfs://nn:8020")));
        assertEquals(List.of("2", "error: --lake: not a location '' (a path, or a URI such as"
                + " hdfs://namenode:8020/dir): empty location"), List.of(run(new Probe(), "--lake", "")));
    }

    /** Every option naming a table, checkpoint or output directory of every command takes any file system's URI. */
    @Test
    void everyLocationOptionOfEveryCommandIsAUri() {
        List<String> locations = new ArrayList<>();
        for (Object command : List.of(new AggregateCommand(), new IngestCommand(), new JoinCommand(), new MonitorCommand(),
                new SessionsCommand(), new StatsCommand(), new io.streampatterns.apps.fraud.FraudCommand(),
                new io.streampatterns.apps.fraud.ModelCommand(), new io.streampatterns.apps.state.StateCommand(),
                new io.streampatterns.apps.show.ShowCommand(), new io.streampatterns.apps.pipeline.RunCommand())) {
            locations(Cli.commandLine(command), locations);
        }
        assertTrue(locations.containsAll(List.of("aggregate --output", "aggregate --checkpoint", "ingest --lake",
                "ingest --checkpoint", "static --output", "static --dimension", "temporal --history", "monitor --output",
                "sessions --output", "stats --output", "fraud --output", "model --output", "state CHECKPOINT_DIR",
                "show PATH|URI", "run --storage")), locations.toString());
    }

    private static void locations(CommandLine cl, List<String> found) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (List.of("--output", "--lake", "--checkpoint", "--storage", "--dimension", "--history").contains(o.longestName())) {
                assertEquals(URI.class, o.type(), cl.getCommandName() + " " + o.longestName());
                found.add(cl.getCommandName() + " " + o.longestName());
            }
        }
        for (CommandLine.Model.PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
            if (p.type() == URI.class) {
                found.add(cl.getCommandName() + " " + p.paramLabel());
            }
        }
        cl.getSubcommands().values().forEach(sub -> locations(sub, found));
    }

    @Test
    void warehouseOptionsGiveATargetOnlyWithAUrl() {
        Probe none = new Probe();
        run(none);
        assertNull(none.warehouse.target("minutes", "window_start"));
        Probe given = new Probe();
        run(given, "--warehouse", "jdbc:postgresql://db:5432/shop", "--warehouse-user", "app");
        JdbcTarget t = given.warehouse.target("minutes", "window_start");
        assertEquals("minutes", t.table());
        assertEquals(List.of("window_start"), t.keyColumns());
        Probe renamed = new Probe();
        run(renamed, "--warehouse", "jdbc:postgresql://db:5432/shop", "--warehouse-table", "per_minute");
        assertEquals("per_minute", renamed.warehouse.target("minutes", "window_start").table());
    }

    /** Every duration option of every command goes through the converter, so every command reports bad values alike. */
    @Test
    void everyDurationOptionOfEveryCommandUsesTheConverter() {
        List<String> checked = new ArrayList<>();
        for (Object command : List.of(new AggregateCommand(), new DemoCommand(), new IngestCommand(), new JoinCommand(),
                new MonitorCommand(), new SessionsCommand(), new StatsCommand())) {
            check(Cli.commandLine(command), checked);
        }
        assertTrue(checked.containsAll(List.of("aggregate --window", "aggregate --slide", "aggregate --watermark",
                "sessions --gap", "sessions --max-duration", "sessions --watermark", "stats --ttl", "stats --watermark",
                "ingest --watermark", "ingest --max-future", "monitor --watermark", "monitor --max-future",
                "temporal --watermark", "stream --watermark", "lookup --cache-ttl", "demo --duration",
                "sessions --trigger-interval")), checked.toString());
        List<String> warehouse = new ArrayList<>();
        for (Object command : List.of(new IngestCommand(), new MonitorCommand(), new StatsCommand())) {
            CommandLine cl = Cli.commandLine(command);
            for (String name : List.of("--warehouse", "--warehouse-user", "--warehouse-table")) {
                if (cl.getCommandSpec().findOption(name) != null) {
                    warehouse.add(cl.getCommandName() + " " + name);
                }
            }
        }
        assertEquals(9, warehouse.size(), warehouse.toString());
    }

    private static void check(CommandLine cl, List<String> checked) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.type() == Duration.class) {
                String name = cl.getCommandName() + " " + o.longestName();
                CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                        CommandLine.ParameterException.class, () -> cl.parseArgs(o.longestName(), "soon"), name);
                assertEquals(o.longestName() + ": cannot parse 'soon' as a duration (e.g. 30s, 5m, 1h)", Cli.message(e), name);
                checked.add(name);
            }
        }
        cl.getSubcommands().values().forEach(sub -> check(sub, checked));
    }
}
