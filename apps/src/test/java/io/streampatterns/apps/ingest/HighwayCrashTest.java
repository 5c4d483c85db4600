package io.streampatterns.apps.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.TopicContents;
import io.streampatterns.apps.search.SharedSearch;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.InputFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ingest --search ... --to-kafka ...} as a child process, killed at several points of a multi-batch run and
 * restarted on the same checkpoint: the index holds each good event once, with its content, and a read_committed
 * consumer of the topic sees each good event exactly once. The first run halts right after a Kafka commit and
 * before Spark's checkpoint commit of that batch (a replay the sink must skip).
 */
class HighwayCrashTest {
    static final int FILES = 5;
    static final int PER_FILE = 40;

    @Test
    void sigkillBetweenWriteAndCheckpointAndElsewhereThenRestartLeavesEachGoodEventOnceInIndexAndTopic(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<String> good = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < PER_FILE; i++) {
                int n = f * PER_FILE + i;
                if (n % 10 == 7) {
                    lines.add("{\"event_id\":\"bad" + n + "\",\"user_id\":");
                    continue;
                }
                String line = IngestAppTest.click(String.format("e%03d", n), "u" + (n % 13),
                        "2024-05-01T10:" + String.format("%02d", n % 60) + ":00Z", "click");
                lines.add(line);
                good.add(String.format("e%03d", n));
                if (n % 10 == 3) {
                    lines.add(line);
                }
            }
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        Path lake = dir.resolve("lake");
        Path ckpt = lake.resolve("_checkpoints").resolve("clicks");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            List<String> args = List.of("--input", in.toString(), "--format", "jsonl", "--schema", "clickstream",
                    "--lake", lake.toString(), "--table", "clicks", "--max-files-per-batch", "1",
                    "--search", SharedSearch.url(), "--index", "clicks-crash",
                    "--to-kafka", kafka.bootstrapServers(), "--to-topic", "clicks-crash");

            List<String> halting = new ArrayList<>(List.of("1"));
            halting.addAll(args);
            try (ChildJvm child = ChildJvm.start(dir.resolve("halt.log"), HaltAfterKafkaCommit.class.getName(), halting.toArray(new String[0]))) {
                assertEquals(137, child.awaitExit(Duration.ofMinutes(4)), child.tail());
            }
            assertFalse(Files.exists(ckpt.resolve("commits").resolve("1")), "halted before Spark committed batch 1");
            assertEquals(2 * (PER_FILE - 4), TopicContents.read(kafka.bootstrapServers(), "clicks-crash", true).size(),
                    "batches 0 and 1 committed in Kafka");

            // then SIGKILL somewhere in a later batch (IngestCrashTest kills the lake and warehouse at more points)
            BooleanSupplier killPoint = () -> ChildJvm.countFiles(ckpt.resolve("commits"), "\\d+") >= 3;
            try (ChildJvm child = ChildJvm.start(dir.resolve("run.log"), IngestCommand.class.getName(), args.toArray(new String[0]))) {
                assertTrue(child.awaitCondition(killPoint, Duration.ofMinutes(4)), "kill point not reached: " + child.tail());
                child.kill9();
            }
            List<String> once = new ArrayList<>(args);
            once.add("--once");
            try (ChildJvm child = ChildJvm.start(dir.resolve("final.log"), IngestCommand.class.getName(), once.toArray(new String[0]))) {
                assertEquals(0, child.awaitExit(Duration.ofMinutes(4)), child.tail());
            }

            assertEquals(good, SharedSearch.ids("clicks-crash", "{\"match_all\":{}}"), "each good event one document");
            assertEquals(List.of("e003 {\"event_id\":\"e003\",\"user_id\":\"u3\",\"ts\":\"2024-05-01T10:03:00.000000Z\",\"type\":\"click\"}"),
                    SharedSearch.documents("clicks-crash").stream().filter(d -> d.startsWith("e003 ")).collect(Collectors.toList()));
            ObjectMapper json = new ObjectMapper();
            List<String> committed = new ArrayList<>();
            for (String r : TopicContents.read(kafka.bootstrapServers(), "clicks-crash", true)) {
                String key = r.substring(0, r.indexOf(' '));
                assertEquals(key, json.readTree(r.substring(r.indexOf(' ') + 1)).get("event_id").asText(), r);
                committed.add(key);
            }
            assertEquals(good, committed.stream().sorted().collect(Collectors.toList()),
                    "a read_committed consumer sees each good event exactly once");
        }
    }
}
