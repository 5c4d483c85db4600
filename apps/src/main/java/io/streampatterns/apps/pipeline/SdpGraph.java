package io.streampatterns.apps.pipeline;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.CreateMaterializedViewAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.CreateStreamingTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.pipelines.graph.DataflowGraph;
import org.apache.spark.sql.pipelines.graph.Flow;
import org.apache.spark.sql.pipelines.graph.FlowAnalysis;
import org.apache.spark.sql.pipelines.graph.GraphRegistrationContext;
import org.apache.spark.sql.pipelines.graph.QueryContext;
import org.apache.spark.sql.pipelines.graph.QueryOrigin;
import org.apache.spark.sql.pipelines.graph.ResolutionFailedFlow;
import org.apache.spark.sql.pipelines.graph.ResolvedFlow;
import org.apache.spark.sql.pipelines.graph.SqlGraphRegistrationContext;
import org.apache.spark.sql.pipelines.graph.TemporaryView;
import org.apache.spark.sql.pipelines.graph.UnresolvedDatasetException;
import org.apache.spark.sql.pipelines.graph.UnresolvedPipelineException;
import org.apache.spark.sql.pipelines.graph.UntypedFlow;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one adapter to Spark Declarative Pipelines' JVM graph code ({@code spark-pipelines}): it registers the prepared
 * SQL files with SDP's {@code SqlGraphRegistrationContext} (the overlay's sources as temporary views whose flow is the
 * source's stream), resolves the graph ({@code DataflowGraph.resolve().validate()}: unknown tables and columns, cycles,
 * several queries into one table) and hands back a plain Java view of it: the flows in dependency order with their
 * inputs, file and line, and every problem found, at its line. Syntax errors are found first, statement by statement
 * with Spark's parser (SDP stops at the first), and those statements are left out of what SDP sees. All Scala types
 * stay in this class.
 */
public final class SdpGraph {
    private static final Pattern ERROR_LINE = Pattern.compile("line (\\d+) pos (\\d+)");
    private static final String CATALOG = "spark_catalog";
    private static final String DATABASE = "default";

    /** What kind of dataset a statement defines. */
    public enum Kind { STREAMING_TABLE, MATERIALIZED_VIEW, TEMPORARY_VIEW, SOURCE, OTHER }

    /** A flow of the graph: the dataset it writes, what it reads, where it is defined. */
    public record FlowInfo(String name, Kind kind, List<String> inputs, String file, int line, String sql,
                           List<Expectation> expectations, boolean resolved) {
    }

    private final List<FlowInfo> flows;
    private final List<Problem> problems;

    private SdpGraph(List<FlowInfo> flows, List<Problem> problems) {
        this.flows = flows;
        this.problems = problems;
    }

    /** Flows in dependency order (every flow after the flows it reads). */
    public List<FlowInfo> flows() {
        return flows;
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * The graph of {@code files}, with {@code sources} (name → streaming Dataset, defined in {@code overlayFile})
     * visible to the SQL as temporary views.
     */
    public static SdpGraph build(SparkSession spark, List<SqlFile> files, Map<String, Dataset<Row>> sources, String overlayFile) {
        List<Problem> problems = new ArrayList<>();
        GraphRegistrationContext context = new GraphRegistrationContext(CATALOG, DATABASE, emptyMap());
        sources.forEach((name, stream) -> registerSource(context, name, stream, overlayFile));
        Map<String, SqlFile.Statement> statements = new LinkedHashMap<>();
        Map<String, String> statementFiles = new LinkedHashMap<>();
        for (SqlFile file : files) {
            problems.addAll(file.problems());
            Set<Integer> bad = new HashSet<>();
            for (SqlFile.Statement s : file.statements()) {
                try {
                    spark.sessionState().sqlParser().parsePlan(s.text());
                    String defined = definedName(s.text());
                    if (defined != null) {
                        statements.putIfAbsent(defined, s);
                        statementFiles.putIfAbsent(defined, file.path());
                    }
                } catch (ParseException e) {
                    bad.add(s.line());
                    int line = s.line() + (e.line().isDefined() ? (Integer) e.line().get() - 1 : 0);
                    problems.add(new Problem(file.path(), line, "syntax error: " + firstSentence(e.getMessage()),
                            "fix the SQL at this line"));
                }
            }
            try {
                new SqlGraphRegistrationContext(context).processSqlFile(file.without(bad), file.path(), spark);
            } catch (RuntimeException e) {
                problems.add(atOrigin(e, file.path(), "cannot register: " + firstSentence(e.getMessage()),
                        "write CREATE STREAMING TABLE / MATERIALIZED VIEW / TEMPORARY VIEW / FLOW statements"));
            }
        }
        DataflowGraph graph;
        try {
            graph = context.toDataflowGraph().resolve();
        } catch (Exception e) {
            if (problems.isEmpty() || !String.valueOf(e.getMessage()).contains("RUN_EMPTY_PIPELINE")) {
                problems.add(atOrigin(e, files.isEmpty() ? overlayFile : files.get(0).path(), firstSentence(e.getMessage()),
                    "define each dataset once"));
            }
            return new SdpGraph(List.of(), problems);
        }
        List<FlowInfo> out = new ArrayList<>();
        for (Flow f : CollectionConverters.asJava(graph.flows())) {
            out.add(info(f, statements, statementFiles, overlayFile, problems));
        }
        try {
            graph.validate();
        } catch (Exception e) {
            if (!(e instanceof UnresolvedPipelineException)) {   // each failed flow is reported above, at its line
                problems.add(atNamedDataset(e, out, overlayFile));
            }
        }
        return new SdpGraph(order(out), problems);
    }

    /**
     * The flow's view; its file and line are those of the statement that defines its dataset (SDP's own origin line
     * counts from the end of the previous statement, blank lines included).
     */
    private static FlowInfo info(Flow f, Map<String, SqlFile.Statement> statements, Map<String, String> statementFiles,
                                 String overlayFile, List<Problem> problems) {
        String name = f.destinationIdentifier().table();
        SqlFile.Statement s = statements.get(name);
        String file = s == null ? overlayFile : statementFiles.get(name);
        int line = s == null ? 0 : s.line();
        List<String> inputs = new ArrayList<>();
        if (f instanceof ResolvedFlow rf) {
            for (TableIdentifier t : CollectionConverters.asJava(rf.inputs())) {
                inputs.add(t.table());
            }
        }
        if (f instanceof ResolutionFailedFlow failed) {
            for (Throwable t : CollectionConverters.asJava(failed.failure())) {
                if (!(t instanceof UnresolvedDatasetException) && !firstSentence(t.getMessage()).startsWith("Failed to read dataset")) {
                    problems.add(analysisProblem(file, line, s == null ? null : s.text(), t));
                }
            }
        }
        Kind kind = s == null ? Kind.SOURCE : kindOf(s.text());
        return new FlowInfo(name, kind, List.copyOf(inputs), file, line, s == null ? null : s.text(),
                s == null ? List.of() : s.expectations(), f instanceof ResolvedFlow);
    }

    private static final Pattern DEFINES = Pattern.compile("(?is)\\A\\s*CREATE\\s+(?:OR\\s+(?:REFRESH|REPLACE)\\s+)?"
            + "(?:STREAMING\\s+TABLE|MATERIALIZED\\s+VIEW|TEMP(?:ORARY)?\\s+VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?((?:`[^`]+`|[\\w]+)(?:\\.(?:`[^`]+`|[\\w]+))*)");

    /** The (unqualified) name of the dataset {@code sql} defines, or null. */
    static String definedName(String sql) {
        Matcher m = DEFINES.matcher(sql);
        if (!m.find()) {
            return null;
        }
        String[] parts = m.group(1).split("\\.(?=(?:[^`]*`[^`]*`)*[^`]*$)");
        return parts[parts.length - 1].replace("`", "");
    }

    static Kind kindOf(String sql) {
        String head = sql.stripLeading().toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
        if (head.matches("CREATE (OR REFRESH )?STREAMING TABLE.*")) {
            return Kind.STREAMING_TABLE;
        }
        if (head.matches("CREATE (OR REFRESH )?MATERIALIZED VIEW.*")) {
            return Kind.MATERIALIZED_VIEW;
        }
        if (head.matches("CREATE (OR REPLACE )?TEMP(ORARY)? VIEW.*")) {
            return Kind.TEMPORARY_VIEW;
        }
        return Kind.OTHER;
    }

    /** The query of a {@code CREATE STREAMING TABLE / MATERIALIZED VIEW ... AS SELECT} statement, unresolved. */
    static LogicalPlan query(SparkSession spark, String sql) {
        LogicalPlan plan;
        try {
            plan = spark.sessionState().sqlParser().parsePlan(sql);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (plan instanceof CreateStreamingTableAsSelect st) {
            return st.query();
        }
        if (plan instanceof CreateMaterializedViewAsSelect mv) {
            return mv.query();
        }
        if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.CreateView v) {
            return v.query();
        }
        if (plan instanceof org.apache.spark.sql.execution.command.CreateViewCommand v) {
            return v.plan();
        }
        throw new IllegalArgumentException("not a dataset definition: " + plan.nodeName());
    }

    /** A streaming Dataset of {@code plan} (analysed now, against the session's temporary views). */
    static Dataset<Row> dataset(SparkSession spark, LogicalPlan plan) {
        return org.apache.spark.sql.classic.Dataset.ofRows((org.apache.spark.sql.classic.SparkSession) spark, plan);
    }

    private static void registerSource(GraphRegistrationContext context, String name, Dataset<Row> stream, String overlayFile) {
        TableIdentifier id = new TableIdentifier(name, Option.empty(), Option.empty());
        QueryOrigin origin = new QueryOrigin(Option.empty(), Option.apply(overlayFile), Option.empty(), Option.empty(),
                Option.empty(), Option.apply("source"), Option.apply(name));
        context.registerView(new TemporaryView(id, emptyMap(), Option.empty(), Option.empty(), origin));
        context.registerFlow(new UntypedFlow(id, id, FlowAnalysis.createFlowFunctionFromLogicalPlan(stream.queryExecution().logical()),
                new QueryContext(Option.apply(CATALOG), Option.apply(DATABASE)), emptyMap(), false, origin));
    }

    /** An analysis failure of the statement {@code sql} at {@code file:line}, at the line of the fragment Spark points at. */
    static Problem analysisProblem(String file, int line, String sql, Throwable t) {
        int at = line;
        if (sql != null && t instanceof AnalysisException a) {
            for (org.apache.spark.QueryContext c : a.getQueryContext()) {
                int i = c.fragment() == null || c.fragment().isEmpty() ? -1 : sql.indexOf(c.fragment());
                if (i >= 0) {
                    at = line + SqlFile.lineAt(sql, i) - 1;
                    break;
                }
            }
        }
        String message = firstSentence(t.getMessage());
        String fix = "fix the query";
        Matcher suggestion = Pattern.compile("Did you mean one of the following\\? (\\[.*?])").matcher(String.valueOf(t.getMessage()));
        if (suggestion.find()) {
            message = message.replaceAll("\\s*Did you mean.*", "");
            fix = "use one of " + suggestion.group(1);
        } else if (message.contains("TABLE_OR_VIEW_NOT_FOUND")) {
            message = message.replaceAll("\\s*Verify the spelling.*", "");
            fix = "define it in a SQL file of the pipeline, or as a source in " + PipelineSpec.OVERLAY;
        }
        return new Problem(file, at, message, fix);
    }

    private static Problem atOrigin(Exception e, String file, String message, String fix) {
        Option<QueryOrigin> origin = QueryOrigin.getOrigin(e);
        int line = origin.isDefined() && origin.get().line().isDefined() ? (Integer) origin.get().line().get() : 0;
        if (line == 0) {
            Matcher m = ERROR_LINE.matcher(String.valueOf(e.getMessage()));
            line = m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
        return new Problem(file, line, message, fix);
    }

    /** A graph-level failure (e.g. a cycle) at the definition of the first dataset its message names. */
    private static Problem atNamedDataset(Exception e, List<FlowInfo> flows, String fallbackFile) {
        String message = firstSentence(e.getMessage());
        String fix = message.contains("ircular") ? "remove one of the dependencies of the cycle" : "fix the pipeline's graph";
        FlowInfo first = null;
        int firstAt = Integer.MAX_VALUE;
        for (FlowInfo f : flows) {
            int at = message.indexOf("." + f.name() + "'");
            if (at >= 0 && at < firstAt) {
                first = f;
                firstAt = at;
            }
        }
        return first == null ? new Problem(fallbackFile, 0, message, fix) : new Problem(first.file(), first.line(), message, fix);
    }

    /** Topological order by inputs (SDP already returns one; kept explicit since the runner depends on it). */
    private static List<FlowInfo> order(List<FlowInfo> flows) {
        Map<String, FlowInfo> byName = new LinkedHashMap<>();
        flows.forEach(f -> byName.putIfAbsent(f.name(), f));
        List<FlowInfo> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (FlowInfo f : flows) {
            visit(f, byName, done, visiting, out);
        }
        return List.copyOf(out);
    }

    private static void visit(FlowInfo f, Map<String, FlowInfo> byName, Set<String> done, Set<String> visiting, List<FlowInfo> out) {
        if (done.contains(f.name()) || !visiting.add(f.name())) {
            return;
        }
        for (String in : f.inputs()) {
            FlowInfo up = byName.get(in);
            if (up != null) {
                visit(up, byName, done, visiting, out);
            }
        }
        done.add(f.name());
        out.add(f);
    }

    /** The first line of a Spark message, without the SQLSTATE and position tail. */
    static String firstSentence(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().split("\\R", 2)[0];
        return first.replaceAll("\\s*SQLSTATE: \\w+.*$", "").replaceAll("\\s*\\(line \\d+, pos \\d+\\)", "").strip();
    }

    private static <K, V> scala.collection.immutable.Map<K, V> emptyMap() {
        return scala.collection.immutable.Map$.MODULE$.empty();
    }
}
