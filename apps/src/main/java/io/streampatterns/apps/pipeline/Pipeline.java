package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.io.EventInput;
import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked pipeline: its spec and overlay read, its SQL files prepared ({@link SqlFile}), its graph resolved by SDP
 * ({@link SdpGraph}) and every streaming table's flow planned ({@link FlowPlanner}). Loading throws a
 * {@link PipelineException} with every problem found, so a pipeline with a mistake never starts a query.
 */
public final class Pipeline {
    private final PipelineSpec spec;
    private final SdpGraph graph;
    private final List<FlowPlanner.PlannedFlow> flows;

    private Pipeline(PipelineSpec spec, SdpGraph graph, List<FlowPlanner.PlannedFlow> flows) {
        this.spec = spec;
        this.graph = graph;
        this.flows = flows;
    }

    /**
     * Loads and checks the pipeline of {@code specFile}; {@code forRun} plans it to run (tables read from their Delta
     * tables, created empty when missing), otherwise nothing is written.
     */
    public static Pipeline load(SparkSession spark, Path specFile, Map<String, String> conf, String storage, boolean forRun) {
        PipelineSpec spec = PipelineSpec.load(specFile, conf, storage);
        Path dir = spec.file().toAbsolutePath().getParent();
        List<Problem> problems = new ArrayList<>(spec.problems());
        List<SqlFile> files = new ArrayList<>();
        for (Path p : spec.sqlFiles()) {
            String text = PipelineSpec.read(p, problems);
            if (text != null) {
                SqlFile f = SqlFile.parse(dir.relativize(p.toAbsolutePath()).toString(), text, spec.configuration());
                files.add(f);
            }
        }
        Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
        String overlayFile = spec.overlay().file();
        spec.overlay().sources().values().forEach(s -> {
            try {
                EventInput in = FlowPlanner.open(spark, s);
                sources.put(s.name(), in.eventsWithoutCapture());
            } catch (ConfigException e) {
                problems.add(new Problem(overlayFile, s.line(), "source " + s.name() + ": " + e.getMessage(),
                        "fix the source (path, format jsonl|csv|apache-log, schema)"));
            }
        });
        SdpGraph graph = SdpGraph.build(spark, files, sources, overlayFile);
        problems.addAll(graph.problems());
        FlowPlanner planner = new FlowPlanner(spark, spec, graph, forRun && problems.isEmpty());
        List<FlowPlanner.PlannedFlow> flows = planner.plan();
        problems.addAll(planner.problems());
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
        return new Pipeline(spec, graph, flows);
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** The resolved flow graph (sources, views and tables with their inputs). */
    public SdpGraph graph() {
        return graph;
    }

    List<FlowPlanner.PlannedFlow> flows() {
        return flows;
    }
}
