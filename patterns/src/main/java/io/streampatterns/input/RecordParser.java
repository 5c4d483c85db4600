package io.streampatterns.input;

import java.io.Serializable;
import java.util.List;

/**
 * Splits one raw record into the texts of the schema's fields, or says why it cannot: the format-specific half of
 * validation, in plain Java so that it runs once per record inside the file reader (or a Kafka value's decoder)
 * instead of as several Spark expressions per field. Conversion of the texts to types stays in
 * {@code quarantine.Validation}, the same for every format.
 *
 * <p>Implementations are stateless apart from reusable buffers, and not thread-safe: one instance per task.</p>
 */
public interface RecordParser extends Serializable {
    /**
     * Fills {@code texts[i]} with the text of field {@code i} ({@code null} when absent) from the UTF-8 bytes
     * {@code bytes[off, off + len)}; returns {@code null} when the record has the format's shape, else the reason
     * (then {@code texts} holds nulls).
     */
    String parse(byte[] bytes, int off, int len, String[] texts);

    /** The fields this parser fills, in order. */
    List<String> fields();
}
