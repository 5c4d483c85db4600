package io.streampatterns.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTest {
    /** A progress report as {@code StreamingQueryProgress.json()} writes it (fields the figures do not use trimmed). */
    static final String PROGRESS = "{\n"
            + "  \"id\" : \"6f1f3c9e-0000-4000-8000-000000000001\",\n"
            + "  \"runId\" : \"6f1f3c9e-0000-4000-8000-0000000000ff\",\n"
            + "  \"name\" : \"requests_per_minute\",\n"
            + "  \"timestamp\" : \"2024-05-01T10:05:00.000Z\",\n"
            + "  \"batchId\" : 7,\n"
            + "  \"batchDuration\" : 1250,\n"
            + "  \"numInputRows\" : 300,\n"
            + "  \"inputRowsPerSecond\" : 50.0,\n"
            + "  \"processedRowsPerSecond\" : 240.0,\n"
            + "  \"durationMs\" : { \"triggerExecution\" : 1250 },\n"
            + "  \"eventTime\" : { \"avg\" : \"2024-05-01T10:03:00.000Z\", \"max\" : \"2024-05-01T10:04:30.000Z\",\n"
            + "                    \"min\" : \"2024-05-01T10:01:00.000Z\", \"watermark\" : \"2024-05-01T10:02:30.000Z\" },\n"
            + "  \"stateOperators\" : [ {\n"
            + "    \"operatorName\" : \"stateStoreSave\", \"numRowsTotal\" : 120, \"numRowsUpdated\" : 10,\n"
            + "    \"memoryUsedBytes\" : 40960, \"numRowsDroppedByWatermark\" : 3\n"
            + "  }, {\n"
            + "    \"operatorName\" : \"dedupeWithinWatermark\", \"numRowsTotal\" : 30, \"numRowsUpdated\" : 2,\n"
            + "    \"memoryUsedBytes\" : 1024, \"numRowsDroppedByWatermark\" : 1\n"
            + "  } ],\n"
            + "  \"sources\" : [ ],\n"
            + "  \"sink\" : { \"description\" : \"DeltaSink\", \"numOutputRows\" : 4 },\n"
            + "  \"observedMetrics\" : { \"late_events\" : { \"n\" : 2 } }\n"
            + "}";

    @Test
    void exposesEveryFigureOfAFedProgressWithHelpAndType() {
        QueryFigures q = QueryFigures.fromProgress(Json.parse(PROGRESS)).withHeartbeat(Instant.parse("2024-05-01T10:05:10.500Z"), "7@host");
        String label = "{query=\"requests_per_minute\",id=\"6f1f3c9e-0000-4000-8000-000000000001\"}";
        String expected = ""
                + "# HELP streampatterns_query_up 1 while the query runs and its process gave a sign of life within the stale limit, else 0.\n"
                + "# TYPE streampatterns_query_up gauge\n"
                + "streampatterns_query_up" + label + " 1\n"
                + "# HELP streampatterns_query_active 1 while the query is recorded as running (a killed process cannot record its end: see _up).\n"
                + "# TYPE streampatterns_query_active gauge\n"
                + "streampatterns_query_active" + label + " 1\n"
                + "# HELP streampatterns_query_input_rows_per_second Rate at which data arrived, in the last batch.\n"
                + "# TYPE streampatterns_query_input_rows_per_second gauge\n"
                + "streampatterns_query_input_rows_per_second" + label + " 50\n"
                + "# HELP streampatterns_query_processed_rows_per_second Rate at which data was processed, in the last batch.\n"
                + "# TYPE streampatterns_query_processed_rows_per_second gauge\n"
                + "streampatterns_query_processed_rows_per_second" + label + " 240\n"
                + "# HELP streampatterns_query_batch_duration_seconds Duration of the last micro-batch.\n"
                + "# TYPE streampatterns_query_batch_duration_seconds gauge\n"
                + "streampatterns_query_batch_duration_seconds" + label + " 1.25\n"
                + "# HELP streampatterns_query_watermark_delay_seconds Newest event time seen minus the event-time watermark.\n"
                + "# TYPE streampatterns_query_watermark_delay_seconds gauge\n"
                + "streampatterns_query_watermark_delay_seconds" + label + " 120\n"
                + "# HELP streampatterns_query_state_rows Rows held in state, summed over the stateful operators.\n"
                + "# TYPE streampatterns_query_state_rows gauge\n"
                + "streampatterns_query_state_rows" + label + " 150\n"
                + "# HELP streampatterns_query_state_memory_bytes Memory used by the state stores, summed over the stateful operators.\n"
                + "# TYPE streampatterns_query_state_memory_bytes gauge\n"
                + "streampatterns_query_state_memory_bytes" + label + " 41984\n"
                + "# HELP streampatterns_query_late_rows_total Rows dropped behind the watermark or counted as late events.\n"
                + "# TYPE streampatterns_query_late_rows_total counter\n"
                + "streampatterns_query_late_rows_total" + label + " 6\n"
                + "# HELP streampatterns_query_last_batch_id Id of the last micro-batch (-1 before the first).\n"
                + "# TYPE streampatterns_query_last_batch_id gauge\n"
                + "streampatterns_query_last_batch_id" + label + " 7\n"
                + "# HELP streampatterns_query_last_progress_timestamp_seconds Time of the last progress report (a micro-batch,"
                + " or Spark's idle report while waiting for data), Unix seconds.\n"
                + "# TYPE streampatterns_query_last_progress_timestamp_seconds gauge\n"
                + "streampatterns_query_last_progress_timestamp_seconds" + label + " 1714557900\n"
                + "# HELP streampatterns_query_last_heartbeat_timestamp_seconds Time of the last heartbeat of the query's process, Unix seconds.\n"
                + "# TYPE streampatterns_query_last_heartbeat_timestamp_seconds gauge\n"
                + "streampatterns_query_last_heartbeat_timestamp_seconds" + label + " 1714557910.5\n"
                + "# HELP streampatterns_query_warning 1 while the query falls behind (kind=\"falls_behind\") or grows its state"
                + " unchecked (kind=\"state_grows\"), else 0; the message with the numbers is in /api/health.\n"
                + "# TYPE streampatterns_query_warning gauge\n"
                + "streampatterns_query_warning" + kind(label, "falls_behind") + " 0\n"
                + "streampatterns_query_warning" + kind(label, "state_grows") + " 0\n";
        assertEquals(expected, Prometheus.exposition(List.of(q)));
    }

    /** Issue 13: a warning is 1 for its kind while it holds, 0 once cleared, and gone with the stopped query's warnings. */
    @Test
    void warningIsOneForItsKindWhileItHolds() {
        QueryFigures q = QueryFigures.fromProgress(Json.parse(PROGRESS));
        String label = "{query=\"requests_per_minute\",id=\"6f1f3c9e-0000-4000-8000-000000000001\"}";
        QueryFigures behind = q.withWarnings(List.of(new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, "requests_per_minute",
                "requests_per_minute falls behind: input 50 rows/s > processed 20 rows/s for 3 batches")));
        String text = Prometheus.exposition(List.of(behind));
        assertTrue(text.contains("streampatterns_query_warning" + kind(label, "falls_behind") + " 1\n"), text);
        assertTrue(text.contains("streampatterns_query_warning" + kind(label, "state_grows") + " 0\n"), text);
        String cleared = Prometheus.exposition(List.of(behind.withWarnings(List.of())));
        assertTrue(cleared.contains("streampatterns_query_warning" + kind(label, "falls_behind") + " 0\n"), cleared);
        String stopped = Prometheus.exposition(List.of(behind.terminated(null)));
        assertTrue(stopped.contains("streampatterns_query_warning" + kind(label, "falls_behind") + " 0\n"), "a stopped query lags no more");
    }

    private static String kind(String label, String kind) {
        return label.replace("\"}", "\",kind=\"" + kind + "\"}");
    }

    /** Issue 17: a query whose process went silent is down, with the times the sample alert rules compare to time(). */
    @Test
    void staleQueryIsDownAndStoppedQueryIsDown() {
        Instant beat = Instant.parse("2024-05-01T10:05:10Z");
        QueryFigures running = QueryFigures.fromProgress(Json.parse(PROGRESS)).withHeartbeat(beat, "7@host");
        String label = "{query=\"requests_per_minute\",id=\"6f1f3c9e-0000-4000-8000-000000000001\"}";
        String stale = Prometheus.exposition(List.of(running.judged(beat.plusSeconds(31), Duration.ofSeconds(30))));
        assertTrue(stale.contains("streampatterns_query_up" + label + " 0\n"), stale);
        assertTrue(stale.contains("streampatterns_query_active" + label + " 1\n"), "as last recorded: " + stale);
        assertTrue(stale.contains("streampatterns_query_last_heartbeat_timestamp_seconds" + label + " 1714557910\n"), stale);
        String fresh = Prometheus.exposition(List.of(running.judged(beat.plusSeconds(29), Duration.ofSeconds(30))));
        assertTrue(fresh.contains("streampatterns_query_up" + label + " 1\n"), fresh);
        String stopped = Prometheus.exposition(List.of(running.terminated(null).judged(beat.plusSeconds(3600), Duration.ofSeconds(30))));
        assertTrue(stopped.contains("streampatterns_query_up" + label + " 0\n"), stopped);
        assertTrue(stopped.contains("streampatterns_query_active" + label + " 0\n"), stopped);
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        QueryFigures q = QueryFigures.started("we\"ird\\na\nme", "q-1");
        String text = Prometheus.exposition(List.of(q));
        assertTrue(text.contains("streampatterns_query_active{query=\"we\\\"ird\\\\na\\nme\",id=\"q-1\"} 1\n"), text);
        assertEquals(0, text.lines().filter(l -> l.startsWith("me\"")).count(), "a raw newline split a sample line:\n" + text);
    }

    @Test
    void queryWithoutProgressOrWatermarkHasNoSampleForThoseFigures() {
        QueryFigures stopped = QueryFigures.started("ingest", "q-2").terminated("boom");
        String text = Prometheus.exposition(List.of(stopped));
        assertTrue(text.contains("streampatterns_query_active{query=\"ingest\",id=\"q-2\"} 0\n"), text);
        assertTrue(text.contains("streampatterns_query_last_batch_id{query=\"ingest\",id=\"q-2\"} -1\n"), text);
        assertTrue(text.contains("# TYPE streampatterns_query_watermark_delay_seconds gauge\n"), text);
        assertFalse(text.contains("streampatterns_query_watermark_delay_seconds{"), text);
        assertFalse(text.contains("streampatterns_query_input_rows_per_second{"), text);
    }

    @Test
    void numbersUseThePrometheusSpellings() {
        assertEquals("NaN", Prometheus.number(Double.NaN));
        assertEquals("+Inf", Prometheus.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Prometheus.number(Double.NEGATIVE_INFINITY));
        assertEquals("3", Prometheus.number(3.0));
        assertEquals("0.125", Prometheus.number(0.125));
        assertEquals("1714557910.5", Prometheus.number(1714557910.5));
    }
}
