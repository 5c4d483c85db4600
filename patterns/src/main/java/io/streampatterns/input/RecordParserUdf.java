package io.streampatterns.input;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

import java.nio.charset.StandardCharsets;

/**
 * A {@link RecordParser} as a Spark function of the record text, for records that do not come from files (Kafka
 * values, in-memory streams): returns a struct of {@code parse_error} and {@code field_0 ...}, the columns the file
 * reader yields, so that both paths parse with the same code.
 */
public final class RecordParserUdf implements UDF1<String, Row> {
    private static final long serialVersionUID = 1L;
    private final RecordParser parser;
    private transient String[] texts;

    public RecordParserUdf(RecordParser parser) {
        this.parser = parser;
    }

    @Override
    public Row call(String raw) {
        if (texts == null) {
            texts = new String[parser.fields().size()];
        }
        byte[] bytes = raw == null ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8);
        Object[] values = new Object[texts.length + 1];
        values[0] = parser.parse(bytes, 0, bytes.length, texts);
        System.arraycopy(texts, 0, values, 1, texts.length);
        return RowFactory.create(values);
    }
}
