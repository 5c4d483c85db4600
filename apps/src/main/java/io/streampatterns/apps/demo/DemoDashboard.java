package io.streampatterns.apps.demo;

import io.streampatterns.core.ConfigException;
import io.streampatterns.dashboard.DashboardServer;
import io.streampatterns.dashboard.MonitorTables;
import io.streampatterns.dashboard.QueryHealth;
import io.streampatterns.dashboard.ServerOptions;
import io.streampatterns.dashboard.WatchOptions;
import org.apache.spark.sql.SparkSession;

import java.net.URI;

/** The dashboard the demo serves on 127.0.0.1 while it runs, fed by the demo's own queries (in-process listener). */
final class DemoDashboard implements AutoCloseable {
    private final SparkSession spark;
    private final QueryHealth health;
    private final DashboardServer server;

    private DemoDashboard(SparkSession spark, QueryHealth health, DashboardServer server) {
        this.spark = spark;
        this.health = health;
        this.server = server;
    }

    /** Starts it on {@code port} (-1: none), warning about queries as {@code watch} judges them; a busy port is reported, not fatal. */
    static DemoDashboard start(SparkSession spark, URI monitor, int port, WatchOptions watch) {
        if (port < 0) {
            return new DemoDashboard(spark, null, null);
        }
        QueryHealth health = new QueryHealth(watch);
        try {
            DashboardServer server = DashboardServer.start(ServerOptions.defaults().port(port),
                    MonitorTables.of(spark, monitor)::metrics, health::queries);
            spark.streams().addListener(health);
            System.err.println("demo: dashboard at " + server.url() + " (while the demo runs; metrics at " + server.url() + "metrics)");
            return new DemoDashboard(spark, health, server);
        } catch (ConfigException e) {
            System.err.println("demo: no dashboard: " + e.getMessage());
            return new DemoDashboard(spark, null, null);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            spark.streams().removeListener(health);
            server.close();
        }
    }
}
