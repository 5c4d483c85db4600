package io.streampatterns.apps.kafka;

import io.streampatterns.apps.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import io.streampatterns.core.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kafka}: run a local single-node Kafka broker for the demos, and produce a file's lines to a topic. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "A local Kafka broker (KRaft), a line producer and a line consumer.",
        subcommands = {KafkaCommand.Serve.class, KafkaCommand.Produce.class, KafkaCommand.Consume.class})
public final class KafkaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Cli.main(new KafkaCommand(), args);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Start a local broker and run it until Ctrl-C.",
                    "It listens on 127.0.0.1 and prints 'bootstrap=127.0.0.1:<port>'.",
                    "Its data lives in a temporary directory that is deleted on exit."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", defaultValue = "0", paramLabel = "N",
                description = "Broker port (default: 0, any free port).")
        int port;

        @Override
        public Integer call() throws InterruptedException {
            EmbeddedKafka kafka = EmbeddedKafka.start(port);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                stopped.countDown();
            }, "kafka-serve-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("bootstrap=" + kafka.bootstrapServers());
            out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "produce", mixinStandardHelpOptions = true,
            description = {"Produce each line of a file as one record to a topic.",
                    "The file is read as UTF-8; each record has the line as its String value and no key."})
    static final class Produce implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", required = true, paramLabel = "T", description = "Topic to produce to.")
        String topic;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "File whose lines are the records.")
        Path file;

        @Override
        public Integer call() {
            long n = KafkaLines.sendFile(bootstrap, topic, file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("produced=" + n + " topic=" + topic);
            out.flush();
            return 0;
        }
    }

    @Command(name = "consume", mixinStandardHelpOptions = true,
            description = {"Print the values of a topic's records, one a line.",
                    "Reads every partition as UTF-8; the counterpart of produce. No consumer group: nothing is committed.",
                    "Stops after --max records or --timeout without a new record, else runs until Ctrl-C."})
    static final class Consume implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", required = true, paramLabel = "T", description = "Topic to read.")
        String topic;

        @Option(names = "--from-beginning", description = "Start at the earliest record (default: only records produced from now on).")
        boolean fromBeginning;

        @Option(names = "--read-committed", description = "Only records of committed transactions (isolation.level=read_committed).")
        boolean readCommitted;

        @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N records (0 = no limit).")
        long max;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop when no record arrived for this long (e.g. 10s).")
        String timeout;

        @Override
        public Integer call() {
            Duration idle = timeout == null ? null : Durations.parsePositive(timeout, "--timeout");
            io.streampatterns.core.ConfigException.check(max >= 0, "--max must be >= 0, got " + max);
            PrintWriter out = spec.commandLine().getOut();
            KafkaLines.consume(bootstrap, topic, new KafkaLines.ConsumeOptions(fromBeginning, readCommitted, max, idle), line -> {
                out.println(line);
                out.flush();
            });
            return 0;
        }
    }
}
