package io.streampatterns.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per record. A field's text is the string's value, the number or boolean as written, or the
 * compact JSON of an object or array; JSON {@code null} and absent fields give {@code null}; unknown keys are
 * ignored; of a repeated key the last value counts. Reasons: "not a JSON object" (the first non-blank character is
 * not '{'), "unparsable JSON" (malformed, invalid UTF-8, or anything but blanks after the object).
 *
 * <p>Parses from the record's bytes with Jackson's streaming parser (as Spark's JSON file source does), not through
 * a character decoder per record (as {@code from_json} does).</p>
 */
public final class JsonRecordParser implements RecordParser {
    private static final long serialVersionUID = 1L;
    static final String NOT_OBJECT = "not a JSON object";
    static final String UNPARSABLE = "unparsable JSON";

    private final List<String> fields;
    private transient Map<String, Integer> index;
    private transient JsonFactory factory;
    private transient ByteArrayOutputStream nested;

    public JsonRecordParser(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public String parse(byte[] bytes, int off, int len, String[] texts) {
        Arrays.fill(texts, null);
        if (!startsWithBrace(bytes, off, len)) {
            return NOT_OBJECT;
        }
        init();
        try (JsonParser p = factory.createParser(bytes, off, len)) {
            p.nextToken();
            String name;
            while ((name = p.nextFieldName()) != null) {
                Integer i = index.get(name);
                JsonToken value = p.nextToken();
                if (i == null) {
                    p.skipChildren();
                } else {
                    texts[i] = text(p, value);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                Arrays.fill(texts, null);
                return UNPARSABLE;
            }
            return null;
        } catch (IOException | RuntimeException e) {
            // Jackson's parse errors (malformed JSON, invalid UTF-8, limits): the record is quarantined, never thrown
            Arrays.fill(texts, null);
            return UNPARSABLE;
        }
    }

    private String text(JsonParser p, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_NULL:
                return null;
            case START_OBJECT:
            case START_ARRAY:
                nested.reset();
                try (JsonGenerator g = factory.createGenerator(nested)) {
                    g.copyCurrentStructure(p);
                }
                return nested.toString(java.nio.charset.StandardCharsets.UTF_8);
            default:
                return p.getText();
        }
    }

    private static boolean startsWithBrace(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{';
            }
        }
        return false;
    }

    private void init() {
        if (factory == null) {
            factory = new JsonFactory();
            nested = new ByteArrayOutputStream();
            index = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                index.put(fields.get(i), i);
            }
        }
    }
}
