package io.streampatterns.apps.pipeline;

import io.delta.tables.DeltaTable;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.OnDataLoss;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.quarantine.Validation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Dataset each streaming table's flow will write, as the runner will run it, without starting anything: the
 * flow's query analysed against temporary views of what it reads (an overlay source: a fresh stream of the project's
 * file input; a table of the pipeline: the Delta table at {@code <storage>/<table>} when running, a stream of its
 * schema when validating, since a watermark does not survive a table in between; a temporary view: its own query,
 * planned again), then the overlay's step, then the expectations; and checks each for the streaming traps.
 */
final class FlowPlanner {
    private final SparkSession spark;
    private final PipelineSpec spec;
    private final Map<String, SdpGraph.FlowInfo> byName = new LinkedHashMap<>();
    private final boolean forRun;
    private final Map<String, StructType> schemas = new HashMap<>();
    /** The source whose quarantined records a flow writes: the first flow to read it. */
    private final Map<String, String> quarantineWriter = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    /** A streaming table's flow, ready to be written. */
    record PlannedFlow(SdpGraph.FlowInfo info, Dataset<Row> output, EmitMode mode, List<String> upsertKeys,
                       List<Expectation> expectations, Map<String, EventInput> quarantinedSources, ExtraSinks extraSinks) {
        String table() {
            return info.name();
        }
    }

    FlowPlanner(SparkSession spark, PipelineSpec spec, SdpGraph graph, boolean forRun) {
        this.spark = spark;
        this.spec = spec;
        graph.flows().forEach(f -> byName.put(f.name(), f));
        this.forRun = forRun;
    }

    List<Problem> problems() {
        return problems;
    }

    /** The streaming tables' flows, in dependency order; problems go to {@link #problems()}. */
    List<PlannedFlow> plan() {
        List<PlannedFlow> out = new ArrayList<>();
        for (SdpGraph.FlowInfo f : byName.values()) {
            if (!f.resolved()) {
                continue;
            }
            switch (f.kind()) {
                case STREAMING_TABLE -> planTable(f, out);
                case MATERIALIZED_VIEW -> problems.add(new Problem(f.file(), f.line(), "materialized view " + f.name()
                        + " is not run by this runner", "make it a streaming table, or query the tables with `streampatterns show`"));
                case OTHER -> problems.add(new Problem(f.file(), f.line(), "this statement is not run by this runner",
                        "define streaming tables (CREATE STREAMING TABLE ... AS SELECT)"));
                default -> { }
            }
        }
        return out;
    }

    private void planTable(SdpGraph.FlowInfo f, List<PlannedFlow> out) {
        Map<String, EventInput> quarantined = new LinkedHashMap<>();
        Dataset<Row> rows;
        try {
            registerInputs(f, quarantined);
            rows = SdpGraph.dataset(spark, SdpGraph.query(spark, f.sql()));
        } catch (ConfigException e) {
            problems.add(new Problem(spec.overlay().file(), 0, e.getMessage(), "fix the source in " + PipelineSpec.OVERLAY));
            return;
        } catch (Exception e) {
            problems.add(SdpGraph.analysisProblem(f.file(), f.line(), f.sql(), e));
            return;
        }
        if (!rows.isStreaming()) {
            problems.add(new Problem(f.file(), f.line(), "the query of streaming table " + f.name() + " reads no stream",
                    "read a stream: STREAM(table) of the pipeline, or a source of " + PipelineSpec.OVERLAY + " (Spark reads"
                            + " json.`dir` as a batch)"));
            return;
        }
        EmitMode mode = EmitMode.APPEND;
        List<String> upsertKeys = List.of();
        Overlay.StepSpec stepSpec = spec.overlay().steps().get(f.name());
        if (stepSpec != null) {
            try {
                PipelineSteps.PipelineStep step = PipelineSteps.of(stepSpec);
                rows = step.step().apply(rows);
                mode = step.step().emitMode();
                upsertKeys = step.upsertKeys();
            } catch (ConfigException e) {
                problems.add(new Problem(spec.overlay().file(), stepSpec.line(), "step of " + f.name() + ": " + e.getMessage(),
                        "fix the step's options (patterns: " + PipelineSteps.NAMES + ")"));
                return;
            }
        }
        List<Expectation> expectations = f.expectations();
        if (!checkExpectations(f, rows, expectations)) {
            return;
        }
        problems.addAll(StreamingChecks.check(rows.queryExecution().analyzed(),
                mode == EmitMode.APPEND ? OutputMode.Append() : OutputMode.Update(), f.file(), f.line()));
        ExtraSinks extra = ExtraSinks.NONE;
        Overlay.SinkSpec sinkSpec = spec.overlay().sinks().get(f.name());
        if (sinkSpec != null) {
            try {
                extra = ExtraSinks.of(sinkSpec, rows.schema());
            } catch (ConfigException e) {
                problems.add(new Problem(spec.overlay().file(), sinkSpec.line(), "sinks of " + f.name() + ": " + e.getMessage(),
                        "fix the sink's options " + new java.util.TreeSet<>(ExtraSinks.OPTIONS)));
                return;
            }
        }
        schemas.put(f.name(), rows.schema());
        if (forRun) {
            createIfMissing(spec.tablePath(f.name()), rows.schema());
        }
        out.add(new PlannedFlow(f, rows, mode, upsertKeys, expectations, quarantined, extra));
    }

    private boolean checkExpectations(SdpGraph.FlowInfo f, Dataset<Row> rows, List<Expectation> expectations) {
        boolean ok = true;
        for (Expectation e : expectations) {
            try {
                rows.select(org.apache.spark.sql.functions.expr(e.condition())).queryExecution().assertAnalyzed();
            } catch (Exception ex) {
                ok = false;
                Problem p = SdpGraph.analysisProblem(f.file(), e.line(), null, ex);
                problems.add(new Problem(f.file(), e.line(), "expectation " + e.name() + ": " + p.problem(), p.fix()));
            }
        }
        return ok;
    }

    /** Temporary views of what {@code f} reads (see the class comment). */
    private void registerInputs(SdpGraph.FlowInfo f, Map<String, EventInput> quarantined) throws Exception {
        for (String input : f.inputs()) {
            Overlay.Source source = spec.overlay().sources().get(input);
            SdpGraph.FlowInfo up = byName.get(input);
            if (source != null) {
                EventInput in = open(spark, source);
                boolean writer = quarantineWriter.putIfAbsent(input, f.name()) == null || quarantineWriter.get(input).equals(f.name());
                if (writer) {
                    quarantined.put(input, in);
                }
                (writer ? in.events() : in.eventsWithoutCapture()).createOrReplaceTempView(input);
            } else if (up != null && up.kind() == SdpGraph.Kind.TEMPORARY_VIEW) {
                registerInputs(up, quarantined);
                SdpGraph.dataset(spark, SdpGraph.query(spark, up.sql())).createOrReplaceTempView(input);
            } else if (schemas.containsKey(input)) {
                tableStream(input).createOrReplaceTempView(input);
            }
        }
    }

    private Dataset<Row> tableStream(String table) {
        if (forRun) {
            return spark.readStream().format("delta").load(spec.tablePath(table));
        }
        return MemoryStream.apply(spark, Encoders.row(schemas.get(table))).toDF();
    }

    private void createIfMissing(String path, StructType schema) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            spark.createDataFrame(List.of(), schema).write().format("delta").mode("append").save(path);
        }
    }

    /** The stream of an overlay source: the project's validated file or Kafka input (its bad records are quarantined). */
    static EventInput open(SparkSession spark, Overlay.Source source) {
        RecordFormat format = RecordFormat.fromCliName(source.format());
        String schemaName = source.schema() != null ? source.schema() : BuiltinSchemas.defaultFor(source.format());
        EventSchema schema = BuiltinSchemas.resolve(schemaName, null, null);
        if (source.isKafka()) {
            Validation.ValidationOptions v = Validation.ValidationOptions.defaults();
            Dataset<Row> raw = RawInput.kafka(spark, source.kafka(), source.topic(), source.maxRecordsPerBatch(),
                    OnDataLoss.parse(source.onDataLoss()));
            return EventInput.of(raw, schema, format, v, RawInput.rereadKafka(spark, source.kafka(), format, schema, v));
        }
        Path dir = Path.of(source.path());
        if (format == RecordFormat.JSON_LINES) {
            return EventInput.files(spark, dir, source.maxFilesPerBatch(), schema);
        }
        Validation.ValidationOptions v = Validation.ValidationOptions.defaults();
        return EventInput.of(RawInput.files(spark, dir, source.maxFilesPerBatch(), format, schema), schema, format, v,
                RawInput.rereadFiles(spark, format, schema, v));
    }
}
