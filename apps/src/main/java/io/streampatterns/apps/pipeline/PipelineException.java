package io.streampatterns.apps.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline that must not start: every problem found in its files, each with its file and line. */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public PipelineException(List<Problem> problems) {
        super(problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = problems.stream().sorted().toList();
    }

    public List<Problem> problems() {
        return problems;
    }
}
