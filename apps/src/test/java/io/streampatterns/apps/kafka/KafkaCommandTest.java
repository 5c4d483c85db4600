package io.streampatterns.apps.kafka;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaCommandTest {
    private static EmbeddedKafka kafka;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void produceSendsEachLineOfTheFileAsOneRecordInOrder(@TempDir Path tmp) throws Exception {
        kafka.createTopic("cli-lines", 1);
        Path file = tmp.resolve("lines.txt");
        Files.write(file, List.of("{\"user\":\"u1\"}", "a,b,c", "é ü"), StandardCharsets.UTF_8);

        int code = run("produce", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-lines", "--file", file.toString());

        assertEquals(0, code, err.toString());
        assertEquals("produced=3 topic=cli-lines", out.toString().trim());
        List<String> records = TestSpark.get().read().format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", "cli-lines")
                .load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "partition", "offset")
                .orderBy("offset")
                .collectAsList().stream().map(Row::toString).collect(Collectors.toList());
        assertEquals(List.of("[null,{\"user\":\"u1\"},0,0]", "[null,a,b,c,0,1]", "[null,é ü,0,2]"), records);
    }

    @Test
    void consumePrintsEachValueOnALineAndWithReadCommittedSkipsAbortedTransactions(@TempDir Path tmp) throws Exception {
        kafka.createTopic("cli-consume", 2);
        KafkaLines.send(kafka.bootstrapServers(), "cli-consume", List.of("a", "b", "c"));
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "transactional.id", "cli-consume-test"), new StringSerializer(), new StringSerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("cli-consume", "aborted"));
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>("cli-consume", "committed"));
            p.commitTransaction();
        }

        assertEquals(0, run("consume", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-consume", "--from-beginning",
                "--read-committed", "--timeout", "2s"), err.toString());
        assertEquals(List.of("a", "b", "c", "committed"), sortedLines());
        out.getBuffer().setLength(0);
        assertEquals(0, run("consume", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-consume", "--from-beginning",
                "--max", "10", "--timeout", "2s"), err.toString());
        assertEquals(List.of("a", "aborted", "b", "c", "committed"), sortedLines(), "read_uncommitted sees the aborted record");
        out.getBuffer().setLength(0);
        assertEquals(0, run("consume", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-consume", "--from-beginning",
                "--max", "2"), err.toString());
        assertEquals(2, sortedLines().size(), "--max stops after N records");
        assertEquals(Cli.CONFIG_ERROR, run("consume", "--bootstrap", kafka.bootstrapServers(), "--topic", "no-such-topic", "--timeout", "1s"));
    }

    private List<String> sortedLines() {
        return out.toString().lines().sorted().collect(Collectors.toList());
    }

    @Test
    void produceFromAMissingFileIsAConfigError(@TempDir Path tmp) {
        int code = run("produce", "--bootstrap", kafka.bootstrapServers(), "--topic", "t", "--file", tmp.resolve("nope.txt").toString());

        assertEquals(Cli.CONFIG_ERROR, code);
        assertTrue(err.toString().startsWith("error: no such file: "), err.toString());
    }

    @Test
    void serveOnAPortAlreadyInUseIsAConfigError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = run("serve", "--port", String.valueOf(taken.getLocalPort()));

            assertEquals(Cli.CONFIG_ERROR, code);
            assertTrue(err.toString().startsWith("error: kafka port " + taken.getLocalPort() + " on 127.0.0.1 is not available"),
                    err.toString());
        }
    }

    @Test
    void serveWithANegativePortIsAConfigError() {
        assertEquals(Cli.CONFIG_ERROR, run("serve", "--port", "-1"));
        assertTrue(err.toString().startsWith("error: kafka port must be between 1 and 65535"), err.toString());
    }

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new KafkaCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
