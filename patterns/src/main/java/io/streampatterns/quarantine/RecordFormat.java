package io.streampatterns.quarantine;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * How a raw record is split into field texts. Each format yields one {@code __s_<field>} string column per schema
 * field ({@code null} when absent) and {@code __parse_error} ({@code null} when the record had the format's shape).
 */
public enum RecordFormat {
    /** One JSON object per line. Unknown keys are ignored. */
    JSON_LINES {
        @Override
        Dataset<Row> parse(Dataset<Row> raw, EventSchema schema) {
            StructType asText = new StructType();
            for (StructField f : schema.fields().fields()) {
                asText = asText.add(f.name(), isComplex(f.dataType()) ? f.dataType() : DataTypes.StringType);
            }
            asText = asText.add(CORRUPT, DataTypes.StringType);
            Column json = from_json(col(Validation.RAW), asText,
                    Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT));
            Dataset<Row> withJson = raw.withColumn(JSON, json);
            List<Column> cols = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE)));
            Column notObject = ltrim(col(Validation.RAW)).startsWith("{").equalTo(false);
            cols.add(when(notObject, lit("not a JSON object"))
                    .when(col(JSON).isNull().or(col(JSON + "." + CORRUPT).isNotNull()), lit("unparsable JSON"))
                    .alias(Validation.PARSE_ERROR));
            for (StructField f : schema.fields().fields()) {
                cols.add(when(notObject, lit(null)).otherwise(col(JSON).getField(f.name())).alias(STRING_PREFIX + f.name()));
            }
            return withJson.select(cols.toArray(new Column[0]));
        }
    },

    /**
     * Comma-separated values in schema field order. A first line equal to the field names (a header) is skipped;
     * any other line is a record.
     */
    CSV {
        @Override
        Dataset<Row> parse(Dataset<Row> raw, EventSchema schema) {
            StructType asText = new StructType();
            for (StructField f : schema.fields().fields()) {
                asText = asText.add(f.name(), DataTypes.StringType);
            }
            String header = java.util.Arrays.stream(schema.fields().fieldNames()).map(String::toLowerCase)
                    .collect(Collectors.joining(","));
            Dataset<Row> data = raw.filter(lower(trim(col(Validation.RAW))).notEqual(header));
            Column csv = from_csv(col(Validation.RAW), lit(asText.toDDL()), Map.of("mode", "PERMISSIVE"));
            int n = asText.fields().length;
            Column fields = size(split(col(Validation.RAW), ","));
            List<Column> cols = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE)));
            cols.add(when(col(Validation.RAW).contains("\"").equalTo(false).and(fields.notEqual(n)),
                    concat(lit("CSV record has "), fields.cast("string"), lit(" fields, expected " + n)))
                    .alias(Validation.PARSE_ERROR));
            for (StructField f : asText.fields()) {
                cols.add(csv.getField(f.name()).alias(STRING_PREFIX + f.name()));
            }
            return data.select(cols.toArray(new Column[0]));
        }
    },

    /**
     * Apache combined log format, optionally followed by the response time in microseconds ({@code %D}). Fields
     * filled: client, ident, auth, ts, request, method, path, protocol, status, bytes, referrer, agent, response_us
     * (whichever the schema declares). A size of {@code -} is null.
     */
    APACHE_LOG {
        static final String LINE = "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}) (\\S+)"
                + "(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?(?: (\\d+))?\\s*$";
        static final String REQUEST = "^(\\S+) (\\S+)(?: (\\S+))?$";

        @Override
        Dataset<Row> parse(Dataset<Row> raw, EventSchema schema) {
            Column line = col(Validation.RAW);
            Column matches = line.rlike(LINE);
            Column request = regexp_extract(line, LINE, 5);
            Map<String, Column> fields = new java.util.HashMap<>();
            fields.put("client", regexp_extract(line, LINE, 1));
            fields.put("ident", regexp_extract(line, LINE, 2));
            fields.put("auth", regexp_extract(line, LINE, 3));
            fields.put("ts", regexp_extract(line, LINE, 4));
            fields.put("request", request);
            fields.put("method", regexp_extract(request, REQUEST, 1));
            fields.put("path", regexp_extract(request, REQUEST, 2));
            fields.put("protocol", regexp_extract(request, REQUEST, 3));
            fields.put("status", regexp_extract(line, LINE, 6));
            fields.put("bytes", regexp_extract(line, LINE, 7));
            fields.put("referrer", regexp_extract(line, LINE, 8));
            fields.put("agent", regexp_extract(line, LINE, 9));
            fields.put("response_us", regexp_extract(line, LINE, 10));
            List<Column> cols = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE)));
            cols.add(when(matches.equalTo(false), lit("not in Apache combined log format")).alias(Validation.PARSE_ERROR));
            for (StructField f : schema.fields().fields()) {
                Column c = fields.get(f.name().toLowerCase());
                Column text = c == null ? lit(null).cast(DataTypes.StringType)
                        : when(matches.and(c.notEqual("")).and(c.notEqual("-")), c);
                cols.add(text.alias(STRING_PREFIX + f.name()));
            }
            return raw.select(cols.toArray(new Column[0]));
        }

        @Override
        Column timestamp(Column text) {
            return try_to_timestamp(text, lit("dd/MMM/yyyy:HH:mm:ss Z"));
        }
    };

    static final String STRING_PREFIX = "__s_";
    private static final String CORRUPT = "_corrupt_record";
    private static final String JSON = "__json";

    /** Raw ({@code raw}, {@code source}) → {@code raw, source, __parse_error, __s_<field>...}. */
    abstract Dataset<Row> parse(Dataset<Row> raw, EventSchema schema);

    /** Field text → TIMESTAMP for this format, {@code null} when it does not parse. */
    Column timestamp(Column text) {
        return Validation.timestamp(text);
    }

    static boolean isComplex(DataType t) {
        return t instanceof StructType || t instanceof ArrayType || t instanceof MapType;
    }

    /** The format named on the command line: {@code jsonl}, {@code csv}, {@code apache-log}. */
    public static RecordFormat fromCliName(String name) {
        switch (name == null ? "" : name.toLowerCase()) {
            case "jsonl":
            case "json":
                return JSON_LINES;
            case "csv":
                return CSV;
            case "apache-log":
                return APACHE_LOG;
            default:
                throw new io.streampatterns.core.ConfigException("unknown format '" + name + "' (use jsonl, csv or apache-log)");
        }
    }
}
