package io.streampatterns.sink.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The index mapping a Spark schema implies, and its check against an index that already exists.
 *
 * <ul>
 *   <li>Timestamps and dates → {@code date} (documents carry ISO-8601 UTC strings).</li>
 *   <li>Strings → {@code keyword} (exact filters, sorting, aggregations: what dashboards do), plus a {@code .text}
 *       sub-field analysed for full-text search, except for identifiers ({@code id}, {@code *_id}, the document id
 *       column), where full text is useless. {@code ignore_above} keeps a huge value from failing its document: it is
 *       still stored in {@code _source} and searchable through {@code .text}.</li>
 *   <li>Numbers keep their width ({@code integer}, {@code long}, {@code double}, ...), booleans are {@code boolean},
 *       structs are objects, arrays map to their element type, maps and binary are stored but not indexed.</li>
 * </ul>
 *
 * <p>OpenSearch's dynamic mapping would guess instead: every string {@code text} with a {@code .keyword} sub-field,
 * and a timestamp written before the first document decides the type for good; an explicit mapping from the schema
 * avoids both.</p>
 */
public final class IndexMapping {
    static final int KEYWORD_IGNORE_ABOVE = 8191;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Map<String, Set<String>> ACCEPTS = Map.of(
            "keyword", Set.of("keyword", "text", "match_only_text", "wildcard", "constant_keyword"),
            "date", Set.of("date", "date_nanos"),
            "boolean", Set.of("boolean"),
            "long", Set.of("long", "unsigned_long", "double", "float", "half_float", "scaled_float"),
            "integer", Set.of("integer", "long", "unsigned_long", "double", "float", "half_float", "scaled_float"),
            "short", Set.of("short", "integer", "long", "double", "float", "half_float", "scaled_float"),
            "byte", Set.of("byte", "short", "integer", "long", "double", "float", "half_float", "scaled_float"),
            "double", Set.of("double", "float", "half_float", "scaled_float"),
            "float", Set.of("float", "double", "half_float", "scaled_float"),
            "object", Set.of("object", "nested", "flat_object"));

    private IndexMapping() {
    }

    /** {@code {"properties": {...}}} for {@code schema}; {@code idColumn} is mapped as a plain keyword. */
    public static ObjectNode of(StructType schema, String idColumn) {
        ObjectNode mapping = JSON.objectNode();
        mapping.set("properties", properties(schema, idColumn));
        return mapping;
    }

    private static ObjectNode properties(StructType schema, String idColumn) {
        ObjectNode props = JSON.objectNode();
        for (StructField f : schema.fields()) {
            props.set(f.name(), field(f.name(), f.dataType(), f.name().equals(idColumn)));
        }
        return props;
    }

    private static ObjectNode field(String name, DataType t, boolean id) {
        ObjectNode m = JSON.objectNode();
        if (t instanceof ArrayType) {
            return field(name, ((ArrayType) t).elementType(), id);
        } else if (t instanceof StructType) {
            m.set("properties", properties((StructType) t, null));
        } else if (t instanceof StringType) {
            m.put("type", "keyword").put("ignore_above", KEYWORD_IGNORE_ABOVE);
            if (!id && !isIdentifier(name)) {
                m.set("fields", JSON.objectNode().set("text", JSON.objectNode().put("type", "text")));
            }
        } else if (t instanceof TimestampType || t instanceof TimestampNTZType || t instanceof DateType) {
            m.put("type", "date");
        } else if (t instanceof BooleanType) {
            m.put("type", "boolean");
        } else if (t instanceof LongType) {
            m.put("type", "long");
        } else if (t instanceof IntegerType) {
            m.put("type", "integer");
        } else if (t instanceof ShortType) {
            m.put("type", "short");
        } else if (t instanceof ByteType) {
            m.put("type", "byte");
        } else if (t instanceof DoubleType || t instanceof DecimalType) {
            m.put("type", "double");
        } else if (t instanceof FloatType) {
            m.put("type", "float");
        } else if (t instanceof MapType || t instanceof BinaryType) {
            m.put("type", "object").put("enabled", false);
        } else {
            throw new ConfigException("search sink: column " + name + " of type " + t.simpleString() + " has no index mapping");
        }
        return m;
    }

    static boolean isIdentifier(String name) {
        return name.equals("id") || name.endsWith("_id");
    }

    /**
     * The fields of {@code wanted} whose values the existing {@code mapping} ({@code {"properties": ...}}) cannot
     * index, one line each ("ts: the index maps it as long, the schema needs date"); empty if none.
     */
    public static List<String> conflicts(JsonNode existing, JsonNode wanted) {
        List<String> out = new ArrayList<>();
        conflicts("", existing.path("properties"), wanted.path("properties"), out);
        return out;
    }

    private static void conflicts(String prefix, JsonNode existing, JsonNode wanted, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode have = existing.get(e.getKey());
            if (have == null) {
                continue;
            }
            String name = prefix + e.getKey();
            String need = typeOf(e.getValue());
            String is = typeOf(have);
            if (!ACCEPTS.getOrDefault(need, Set.of(need)).contains(is)) {
                out.add(name + ": the index maps it as " + is + ", the schema needs " + need);
            } else if (need.equals("object") && e.getValue().has("properties")) {
                conflicts(name + ".", have.path("properties"), e.getValue().path("properties"), out);
            }
        }
    }

    /** The fields of {@code wanted} the existing mapping does not have yet, as a mapping to PUT (null if none). */
    static ObjectNode missing(JsonNode existing, ObjectNode wanted) {
        ObjectNode props = JSON.objectNode();
        JsonNode have = existing.path("properties");
        wanted.path("properties").fields().forEachRemaining(e -> {
            if (!have.has(e.getKey())) {
                props.set(e.getKey(), e.getValue());
            }
        });
        return props.isEmpty() ? null : (ObjectNode) JSON.objectNode().set("properties", props);
    }

    private static String typeOf(JsonNode field) {
        return field.has("type") ? field.get("type").asText() : "object";
    }

    static String toJson(JsonNode node) {
        try {
            return new ObjectMapper().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
