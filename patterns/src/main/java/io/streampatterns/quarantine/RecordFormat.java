package io.streampatterns.quarantine;

import io.streampatterns.input.ApacheLogParser;
import io.streampatterns.input.JsonRecordParser;
import io.streampatterns.input.RecordFileFormat;
import io.streampatterns.input.RecordParser;
import io.streampatterns.input.RecordParserUdf;
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
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.udf;
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
            return parsed(raw, schema, new JsonRecordParser(fieldNames(schema)));
        }

        @Override
        public String readerParser() {
            return "json";
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
        @Override
        Dataset<Row> parse(Dataset<Row> raw, EventSchema schema) {
            return parsed(raw, schema, new ApacheLogParser(fieldNames(schema)));
        }

        @Override
        public String readerParser() {
            return "apache-log";
        }

        @Override
        Column timestamp(Column text) {
            return try_to_timestamp(text, lit("dd/MMM/yyyy:HH:mm:ss Z"));
        }
    };

    static final String STRING_PREFIX = "__s_";
    private static final String PARSED = "__parsed";

    /**
     * Raw ({@code raw}, {@code source}) → {@code raw, source, __parse_error, __s_<field>...}. Input that the file reader
     * already parsed (it has {@code __parse_error}) is passed on as it is.
     */
    abstract Dataset<Row> parse(Dataset<Row> raw, EventSchema schema);

    /**
     * The {@code RecordFileFormat} parser that splits this format's records while the file is read ({@code none}: the
     * records are split by {@link #parse} instead).
     */
    public String readerParser() {
        return "none";
    }

    /** The schema's field names, in order: what a parser fills. */
    public static List<String> fieldNames(EventSchema schema) {
        return java.util.Arrays.asList(schema.fields().fieldNames());
    }

    /** The column names a parsed record has, in the order of {@link #fieldNames}: the contract with the file reader. */
    public static String textColumn(String field) {
        return STRING_PREFIX + field;
    }

    /** Records parsed by {@code parser} in a Spark function, unless the file reader did it already. */
    private static Dataset<Row> parsed(Dataset<Row> raw, EventSchema schema, RecordParser parser) {
        if (java.util.Arrays.asList(raw.columns()).contains(Validation.PARSE_ERROR)) {
            return raw;
        }
        StructType result = RecordFileFormat.schema(parser.fields().size());
        StructType returned = new StructType(java.util.Arrays.copyOfRange(result.fields(), 2, result.fields().length));
        Dataset<Row> withParsed = raw.withColumn(PARSED, udf(new RecordParserUdf(parser), returned).apply(col(Validation.RAW)));
        List<Column> cols = new ArrayList<>(List.of(col(Validation.RAW), col(Validation.SOURCE),
                col(PARSED).getField(RecordFileFormat.PARSE_ERROR).alias(Validation.PARSE_ERROR)));
        for (int i = 0; i < parser.fields().size(); i++) {
            cols.add(col(PARSED).getField(RecordFileFormat.fieldColumn(i)).alias(textColumn(parser.fields().get(i))));
        }
        return withParsed.select(cols.toArray(new Column[0]));
    }

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
