package io.streampatterns.search;

import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.node.NodeValidationException;
import org.opensearch.transport.Netty4Plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real single-node OpenSearch: the server's own {@link Node}, with the Netty4 HTTP and transport layer as a
 * classpath plugin (what the distribution loads from {@code modules/transport-netty4}). {@code Node}'s constructor
 * that takes classpath plugins is protected, hence this subclass. Only the HTTP port serves clients; the transport
 * port is bound to a free port on 127.0.0.1 and used by nobody (single-node discovery).
 */
final class SearchNode extends Node {
    private SearchNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class), true);
    }

    /** A started node listening on {@code 127.0.0.1:httpPort}, keeping its data and logs under {@code home}. */
    static SearchNode start(Path home, int httpPort) throws NodeValidationException {
        Settings settings = Settings.builder()
                .put("cluster.name", "streampatterns")
                .put("node.name", "streampatterns-search")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", 0)
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                .put("discovery.type", "single-node")
                // a nearly full disk must not turn the demo's indices read-only
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true)
                .build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "streampatterns-search");
        SearchNode node = new SearchNode(env);
        try {
            node.start();
            return node;
        } catch (NodeValidationException | RuntimeException e) {
            closeQuietly(node);
            throw e;
        }
    }

    static void closeQuietly(Node node) {
        try {
            node.close();
        } catch (IOException e) {
            System.err.println("search: close failed: " + e.getMessage());
        }
    }
}
