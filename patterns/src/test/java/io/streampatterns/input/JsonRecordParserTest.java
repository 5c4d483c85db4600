package io.streampatterns.input;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonRecordParserTest {
    private final JsonRecordParser parser = new JsonRecordParser(List.of("id", "n", "tags", "obj"));

    private String[] texts(String record) {
        String[] texts = new String[4];
        assertNull(parse(record, texts), record);
        return texts;
    }

    private String parse(String record, String[] texts) {
        byte[] b = ("xx" + record + "yy").getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 2, b.length - 4, texts);
    }

    @Test
    void fieldsAreTheirTextsAndAbsentOrNullFieldsAreNull() {
        assertArrayEquals(new String[] {"a", "42", null, null}, texts("{\"id\":\"a\",\"n\":42}"));
        assertArrayEquals(new String[] {"a", null, null, null}, texts("{\"n\":null,\"id\":\"a\"}"));
    }

    @Test
    void numbersAndBooleansKeepTheirLexemeAndNestedValuesBecomeCompactJson() {
        assertArrayEquals(new String[] {"true", "1.50", "[1,\"x\",{\"a\":null}]", "{\"k\":[ ]}".replace(" ", "")},
                texts("{ \"id\" : true, \"n\": 1.50, \"tags\": [1, \"x\", {\"a\": null}], \"obj\": {\"k\": []} }"));
    }

    @Test
    void unknownKeysAreSkippedWithWhatTheyHoldAndTheLastOfARepeatedKeyCounts() {
        assertArrayEquals(new String[] {"b", "7", null, null},
                texts("{\"id\":\"a\",\"other\":{\"id\":\"x\",\"deep\":[{\"n\":1}]},\"id\":\"b\",\"n\":7}"));
    }

    @Test
    void escapesAndMultiByteCharactersAreDecoded() {
        assertEquals("é\"\n☃", texts("{\"id\":\"é\\\"\\n\\u2603\"}")[0]);
    }

    @Test
    void recordsThatAreNotObjectsOrNotJsonGetTheirReasonAndNoFields() {
        String[] t = new String[4];
        assertEquals("not a JSON object", parse("[1,2]", t));
        assertEquals("not a JSON object", parse("", t));
        assertEquals("not a JSON object", parse("hello {", t));
        assertEquals("unparsable JSON", parse("{\"id\":\"a\"", t));
        assertEquals("unparsable JSON", parse("{\"id\":\"a\"} trailing", t));
        assertEquals("unparsable JSON", parse("{\"id\":\"a\"}{\"id\":\"b\"}", t));
        assertEquals("unparsable JSON", parse("{id:1}", t));
        assertEquals(Arrays.asList(null, null, null, null), Arrays.asList(t));
    }

    @Test
    void invalidUtf8IsUnparsableNotReplaced() {
        byte[] b = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertEquals("unparsable JSON", parser.parse(b, 0, b.length, new String[4]));
    }

    @Test
    void leadingAndTrailingBlanksAreAllowed() {
        assertEquals("a", texts("  \t{\"id\":\"a\"}  ")[0]);
    }
}
