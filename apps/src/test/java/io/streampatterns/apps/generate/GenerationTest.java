package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedAndOptionsWriteByteIdenticalFilesForEveryDataset() {
        for (Dataset d : Dataset.values()) {
            GeneratorOptions options = GeneratorOptions.seed(17).withMerchants(300).withCards(2000).withUsers(800);
            Map<String, byte[]> first = run(d, options, tmp.resolve(d.cliName() + "-1"));
            Map<String, byte[]> second = run(d, options, tmp.resolve(d.cliName() + "-2"));
            assertEquals(first.keySet(), second.keySet(), d.cliName());
            first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), d.cliName() + " " + name));
            Map<String, byte[]> otherSeed = run(d, GeneratorOptions.seed(18).withMerchants(300).withCards(2000)
                    .withUsers(800), tmp.resolve(d.cliName() + "-3"));
            assertFalse(Arrays.equals(first.get("part-00000" + d.extension()),
                    otherSeed.get("part-00000" + d.extension())), d.cliName() + ": another seed, other data");
        }
    }

    @Test
    void writesExactlyTheRequestedEventsIntoNumberedFilesOfAtMostEventsPerFile() throws IOException {
        Path dir = tmp.resolve("tx");
        Generation.Result result = Generation.run(Dataset.TRANSACTIONS, GeneratorOptions.seed(1),
                OutputOptions.of(dir, 25_000).withEventsPerFile(10_000));
        assertEquals(new Generation.Result(25_000, 3, Map.of("labels", 25_000L)), result);
        assertEquals(List.of("labels", "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"), names(dir));
        assertEquals(List.of(10_000, 10_000, 5_000), lineCounts(dir));
        // label file k holds the labels released while event file k was written; the rest (due after the last
        // event) land with the last event file
        assertEquals(List.of("part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"), names(dir.resolve("labels")));
        List<Integer> labelCounts = lineCounts(dir.resolve("labels"));
        assertEquals(25_000, labelCounts.stream().mapToInt(Integer::intValue).sum());
        assertTrue(labelCounts.get(2) > 20_000, "most labels come days after the 6 simulated hours: " + labelCounts);
    }

    @Test
    void everyLabelLandsInALabelFileNotBeforeTheEventFileOfItsTransaction() throws IOException {
        Path dir = tmp.resolve("tx-aligned");
        Generation.run(Dataset.TRANSACTIONS, GeneratorOptions.seed(2).withCards(500),
                OutputOptions.of(dir, 20_000).withEventsPerFile(2_000));
        java.util.Map<String, Integer> eventFile = new java.util.HashMap<>();
        List<String> files = names(dir).stream().filter(n -> n.startsWith("part-")).toList();
        for (int k = 0; k < files.size(); k++) {
            for (String line : Files.readAllLines(dir.resolve(files.get(k)))) {
                eventFile.put(line.substring(line.indexOf("\"tx_id\":\"") + 9, line.indexOf("\",")), k);
            }
        }
        List<String> labelFiles = names(dir.resolve("labels"));
        long sameFile = 0;
        for (int k = 0; k < labelFiles.size(); k++) {
            for (String line : Files.readAllLines(dir.resolve("labels").resolve(labelFiles.get(k)))) {
                int e = eventFile.get(line.substring(line.indexOf("\"tx_id\":\"") + 9, line.indexOf("\",")));
                assertTrue(e <= k, "label in file " + k + " for an event of file " + e);
                sameFile += e == k ? 1 : 0;
            }
        }
        assertTrue(sameFile > 0, "some labels (fraud, 2 h after) land with their event's file");
    }

    @Test
    void partFilesGetStrictlyIncreasingModificationTimesSoSparkTakesThemInOrder() throws IOException {
        Path dir = tmp.resolve("logs");
        Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(3), OutputOptions.of(dir, 200).withEventsPerFile(10));
        List<String> files = names(dir);
        assertEquals(20, files.size());
        long previous = Long.MIN_VALUE;
        for (String f : files) {
            long t = Files.getLastModifiedTime(dir.resolve(f)).toMillis();
            assertTrue(t > previous, f + " modified at " + t + ", not after its predecessor (" + previous + ")");
            previous = t;
        }
    }

    @Test
    void refusesADirectoryThatAlreadyHoldsPartFiles() {
        Path dir = tmp.resolve("clicks");
        Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(1), OutputOptions.of(dir, 10));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(1), OutputOptions.of(dir, 10)));
        assertEquals("--out " + dir + " already holds part files; use a new or empty directory", e.getMessage());
    }

    @Test
    void liveRateShowsOnlyCompleteFilesAboutOncePerSecondWithTheSameEventsAsABatchRun() throws Exception {
        Path live = tmp.resolve("live");
        OutputOptions output = OutputOptions.of(live, 1_000).withRate(OutputOptions.parseRate("400/s"));
        long start = System.nanoTime();
        CompletableFuture<Generation.Result> run = CompletableFuture.supplyAsync(
                () -> Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(4), output));
        Map<String, String> firstSeen = new TreeMap<>();
        while (!finished(run)) {
            for (Map.Entry<String, String> file : visibleFiles(live).entrySet()) {
                firstSeen.putIfAbsent(file.getKey(), file.getValue());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(new Generation.Result(1_000, 3, Map.of()), run.get());
        assertTrue(seconds >= 1.9, "1000 events at 400/s take over 2 s, took " + seconds);
        Map<String, String> finalFiles = visibleFiles(live);
        assertEquals(List.of("part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"), names(live));
        assertEquals(List.of(400, 400, 200), lineCounts(live));
        assertTrue(firstSeen.size() >= 2, "files appeared while generating: " + firstSeen.keySet());
        firstSeen.forEach((name, content) -> assertEquals(finalFiles.get(name), content, name + " was seen incomplete"));

        Path batch = tmp.resolve("batch");
        Generation.run(Dataset.CLICKSTREAM, GeneratorOptions.seed(4), OutputOptions.of(batch, 1_000));
        assertEquals(Files.readString(batch.resolve("part-00000.jsonl")), String.join("", finalFiles.values()));
    }

    @Test
    void rateIsEventsPerSecondWithOrWithoutPerSecondSuffix() {
        assertEquals(500.0, OutputOptions.parseRate("500"));
        assertEquals(500.0, OutputOptions.parseRate("500/s"));
        assertEquals(2.5, OutputOptions.parseRate(" 2.5 / s "));
        ConfigException e = assertThrows(ConfigException.class, () -> OutputOptions.parseRate("fast"));
        assertEquals("--rate: cannot parse 'fast' (use events per second, e.g. 500 or 500/s)", e.getMessage());
        assertThrows(ConfigException.class, () -> OutputOptions.parseRate("0/s"));
        assertEquals(1, OutputOptions.of(tmp, 5).withRate(0.5).linesPerFile());
        assertEquals(3, OutputOptions.of(tmp, 5).withRate(2.5).linesPerFile());
        assertEquals(100, OutputOptions.of(tmp, 5).withEventsPerFile(100).withRate(5000).linesPerFile());
    }

    private static boolean finished(CompletableFuture<?> run) throws InterruptedException, ExecutionException {
        try {
            run.get(5, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Contents of the files a reader would pick up (not hidden), by name. */
    private static Map<String, String> visibleFiles(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(f -> !f.getFileName().toString().startsWith(".")).collect(Collectors.toList())) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Map<String, byte[]> run(Dataset d, GeneratorOptions options, Path dir) {
        Generation.run(d, options, OutputOptions.of(dir, 12_000).withEventsPerFile(5_000));
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<Integer> lineCounts(Path dir) throws IOException {
        List<Integer> counts = new ArrayList<>();
        for (String name : names(dir)) {
            if (name.startsWith("part-")) {
                counts.add(Files.readAllLines(dir.resolve(name)).size());
            }
        }
        return counts;
    }
}
