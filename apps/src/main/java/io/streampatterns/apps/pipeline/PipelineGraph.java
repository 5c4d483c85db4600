package io.streampatterns.apps.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The flow graph of a checked pipeline as text (one line per dataset, in dependency order) and as a Mermaid flowchart. */
final class PipelineGraph {
    private PipelineGraph() {
    }

    static String text(Pipeline p) {
        List<String> out = new ArrayList<>();
        out.add("pipeline " + p.spec().name() + " (storage " + p.spec().storage() + ")");
        for (SdpGraph.FlowInfo f : p.graph().flows()) {
            StringBuilder b = new StringBuilder("  ").append(kind(f)).append(' ').append(f.name());
            if (!f.inputs().isEmpty()) {
                b.append(" <- ").append(String.join(", ", f.inputs()));
            }
            Overlay.StepSpec step = p.spec().overlay().steps().get(f.name());
            if (step != null) {
                b.append("  [step ").append(step.pattern()).append(']');
            }
            for (Expectation e : f.expectations()) {
                b.append("  [expect ").append(e.name()).append(e.action() == Expectation.Action.WARN ? "" : ": " + e.action().sql()).append(']');
            }
            b.append("  (").append(f.file()).append(f.line() > 0 ? ":" + f.line() : "").append(')');
            out.add(b.toString());
        }
        return String.join("\n", out);
    }

    static String mermaid(Pipeline p) {
        List<String> out = new ArrayList<>();
        out.add("flowchart LR");
        for (SdpGraph.FlowInfo f : p.graph().flows()) {
            String label = f.name() + "<br/>" + kind(f);
            Overlay.StepSpec step = p.spec().overlay().steps().get(f.name());
            if (step != null) {
                label += "<br/>step " + step.pattern();
            }
            if (!f.expectations().isEmpty()) {
                label += "<br/>expect " + f.expectations().stream().map(Expectation::name).collect(Collectors.joining(", "));
            }
            String shape = f.kind() == SdpGraph.Kind.SOURCE ? "[/\"%s\"/]" : f.kind() == SdpGraph.Kind.TEMPORARY_VIEW ? "(\"%s\")" : "[(\"%s\")]";
            out.add("  " + id(f.name()) + String.format(shape, label));
            for (String in : f.inputs()) {
                out.add("  " + id(in) + " --> " + id(f.name()));
            }
        }
        return String.join("\n", out);
    }

    private static String kind(SdpGraph.FlowInfo f) {
        return f.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
