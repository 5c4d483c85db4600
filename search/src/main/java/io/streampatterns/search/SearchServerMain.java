package io.streampatterns.search;

import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.common.unit.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Entry point of the search server's JVM: {@code SearchServerMain PORT [DATA_DIR]}. Starts a {@link SearchNode} on
 * 127.0.0.1:PORT, waits until the cluster is at least yellow, prints {@code ready url=http://127.0.0.1:PORT} on
 * stdout, and runs until SIGTERM or until its standard input closes: the parent JVM holds the other end of that
 * pipe, so a parent that dies (even by SIGKILL) takes its search server with it. Without DATA_DIR the data lives in a
 * temporary directory deleted on exit.
 */
public final class SearchServerMain {
    static final String READY = "ready url=";

    private SearchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SearchServerMain PORT [DATA_DIR]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        boolean temporary = args.length == 1;
        Path home = temporary ? Files.createTempDirectory("streampatterns-search") : Files.createDirectories(Path.of(args[1]));
        SearchNode node = SearchNode.start(home, port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SearchNode.closeQuietly(node);
            if (temporary) {
                deleteQuietly(home);
            }
            stop.countDown();
        }, "search-shutdown"));
        ClusterHealthResponse health = node.client().admin().cluster().prepareHealth()
                .setWaitForYellowStatus().setTimeout(TimeValue.timeValueSeconds(60)).get();
        System.out.println(READY + "http://127.0.0.1:" + port + " status=" + health.getStatus().name().toLowerCase(java.util.Locale.ROOT));
        System.out.flush();
        Thread watcher = new Thread(() -> {
            awaitEof(System.in);
            System.exit(0);
        }, "search-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        stop.await();
        node.awaitClose(30, TimeUnit.SECONDS);
    }

    private static void awaitEof(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the parent writes nothing; only the end of the stream matters
            }
        } catch (IOException e) {
            // a broken pipe is the parent gone, too
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp directory: leftovers are harmless
        }
    }
}
