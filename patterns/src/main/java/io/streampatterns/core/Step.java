package io.streampatterns.core;

import io.streampatterns.sessions.SessionOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One pattern applied to a Dataset: the one shape of every pattern of this library, for Java users and for the
 * pipeline runner alike. A step is built by its pattern's factory from immutable options ({@code X.of(options)}),
 * checks its input when applied (a {@link ConfigException} naming the step and the column), and never starts a
 * query itself.
 *
 * <pre>{@code
 * Step sessions = Sessionizer.of(SessionOptions.of("user_id", EventTime.of("ts", Duration.ofMinutes(10))));
 * Dataset<Row> out = sessions.apply(events);       // or: events.transform(sessions::apply)
 * }</pre>
 *
 * <p>Stateful steps follow one watermark rule, {@link EventTime}.</p>
 */
public interface Step {
    /**
     * The step's name: the prefix of its configuration errors and, for steps that report observed metrics, their
     * name in the query progress (unique per query).
     */
    String name();

    /** The step's output for {@code in}; throws {@link ConfigException} when {@code in} does not fit the options. */
    Dataset<Row> apply(Dataset<Row> in);

    /**
     * How the output rows must be written: {@link EmitMode#APPEND} when each row is final when emitted (stateless
     * steps, joins, alerts, windows and sessions in append mode), {@link EmitMode#UPDATE} when a row may come again
     * with new values (sinks then upsert). A chain of steps emits in update mode if any of its steps does.
     */
    default EmitMode emitMode() {
        return EmitMode.APPEND;
    }

    /** A stateless step called {@code name} that applies {@code function} (e.g. a filter or projection of a pipeline). */
    static Step of(String name, UnaryOperator<Dataset<Row>> function) {
        ConfigException.check(name != null && !name.isBlank(), "a step needs a name");
        Objects.requireNonNull(function, "function");
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Dataset<Row> apply(Dataset<Row> in) {
                return function.apply(in);
            }

            @Override
            public String toString() {
                return "step " + name;
            }
        };
    }
}
