package io.streampatterns.apps.demo;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.pipeline.Pipeline;
import io.streampatterns.apps.pipeline.PipelineRunner;
import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The shipped SQL pipeline {@code pipelines/ingest} in the demo, over the generated clickstream: tables under {@code lake/sql}. */
final class SqlPipelineDemo implements DemoStep {
    @Override
    public String name() {
        return "sql pipeline";
    }

    @Override
    public void prepare(DemoContext ctx) {
        // reads the clickstream the ingest step generates
    }

    @Override
    public List<StreamingQuery> start(DemoContext ctx) {
        Pipeline p = Pipeline.load(ctx.spark(), spec(), Map.of("input", ctx.input("clickstream").toString()),
                Storage.text(ctx.table("sql")), true);
        return PipelineRunner.startAll(p, ctx.trigger());
    }

    @Override
    public List<String> summary(DemoContext ctx) {
        return List.of(DemoCommand.tableLine(ctx, "sql/clicks", "pipelines/ingest (SQL): validated, deduplicated clicks"),
                DemoCommand.tableLine(ctx, "sql/raw_clicks_quarantine", "pipelines/ingest: records that failed validation"));
    }

    /** {@code pipelines/ingest} of the installation ({@code streampatterns.home}, set by the launcher), else of the source tree. */
    static Path spec() {
        String home = System.getProperty("streampatterns.home");
        for (Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("pipelines/ingest/spark-pipeline.yml");
            if (Files.exists(spec)) {
                return spec;
            }
        }
        throw new ConfigException("pipelines/ingest/spark-pipeline.yml not found (set -Dstreampatterns.home to the project's directory)");
    }
}
