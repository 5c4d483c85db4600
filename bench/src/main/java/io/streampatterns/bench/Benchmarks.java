package io.streampatterns.bench;

import io.streampatterns.bench.e2e.E2eAggregateBench;
import io.streampatterns.bench.e2e.E2eIngestBench;
import io.streampatterns.bench.e2e.E2eMonitorBench;
import io.streampatterns.bench.e2e.E2eSessionsBench;
import io.streampatterns.bench.fraud.OnlineLearningBench;
import io.streampatterns.bench.ingest.IngestBench;
import io.streampatterns.bench.ingest.JdbcSinkBench;
import io.streampatterns.bench.ingest.JsonParseCeiling;
import io.streampatterns.bench.joins.LookupJoinEntry;
import io.streampatterns.bench.joins.TemporalJoinEntry;
import io.streampatterns.bench.sessions.SessionsGapBench;
import io.streampatterns.bench.sinks.KafkaSinkBench;
import io.streampatterns.bench.sinks.SearchSinkBench;
import io.streampatterns.bench.windows.SampledSlidingWindowBench;
import io.streampatterns.bench.windows.SlidingWindowBench;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of benchmarks, in the order the suite runs them. Every pattern adds its entry here. */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static Map<String, Benchmark> all() {
        Map<String, Benchmark> m = new LinkedHashMap<>();
        for (Benchmark b : List.of(new JsonParseCeiling(), new IngestBench(), new JdbcSinkBench(),
                new SlidingWindowBench(Duration.ofMinutes(10), Duration.ofMinutes(5)),
                new SlidingWindowBench(Duration.ofHours(1), Duration.ofMinutes(1)),
                new SampledSlidingWindowBench(Duration.ofHours(24), Duration.ofMinutes(1), 20_000, 3_000),
                new SessionsGapBench(),
                new TemporalJoinEntry(), new LookupJoinEntry(), new SearchSinkBench(), new KafkaSinkBench(),
                new OnlineLearningBench(),
                new E2eIngestBench(), new E2eAggregateBench(), new E2eSessionsBench(), new E2eMonitorBench())) {
            m.put(b.name(), b);
        }
        return m;
    }

    /** Names for picocli's help text. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new ArrayList<>(all().keySet()).iterator();
        }
    }
}
