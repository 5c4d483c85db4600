package io.streampatterns.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.mapreduce.Job;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.TextBasedFileFormat;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Function1;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.immutable.Map;
import scala.collection.immutable.Seq;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * A Spark file format for line-oriented record files that yields, per non-blank line, the line's text, its line
 * number in the file, and the fields parsed by a {@link RecordParser}: the reader of {@code RawInput.files}.
 *
 * <p>Why not Spark's {@code text} or {@code json} source: {@code text} knows no line numbers (a quarantined record
 * must say {@code file:line}), reading whole files to number their lines keeps each file in memory in one task, and
 * {@code from_json} over the text decodes every record through a new character reader; {@code json} drops the text
 * of a record that parses but fails a later check. This format reads files in splits, streaming, parses each line
 * once from its bytes, and knows its line number exactly (a split that starts inside a file first counts the
 * newlines before it).</p>
 *
 * <p>Columns: {@code value} (the line, without its {@code \n} or {@code \r\n}), {@code line} (1-based, counting
 * blank lines), {@code parse_error} (null when the line has the format's shape) and {@code field_0 ...} (the texts of
 * the parser's fields). Options: {@code parser} ({@code json}, {@code apache-log}, {@code none}) and {@code fields}
 * (a JSON array of field names). Lines end at {@code \n} only; blank lines (spaces, tabs) are skipped. Read-only.</p>
 */
public final class RecordFileFormat extends TextBasedFileFormat implements DataSourceRegister {
    private static final long serialVersionUID = 1L;
    public static final String VALUE = "value";
    public static final String LINE = "line";
    public static final String PARSE_ERROR = "parse_error";
    private static final String FIELD_PREFIX = "field_";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The column holding the text of the parser's field {@code i}. */
    public static String fieldColumn(int i) {
        return FIELD_PREFIX + i;
    }

    /** The schema the format yields for a parser with {@code fieldCount} fields. */
    public static StructType schema(int fieldCount) {
        StructType st = new StructType().add(VALUE, DataTypes.StringType, false).add(LINE, DataTypes.LongType, false)
                .add(PARSE_ERROR, DataTypes.StringType, true);
        for (int i = 0; i < fieldCount; i++) {
            st = st.add(fieldColumn(i), DataTypes.StringType, true);
        }
        return st;
    }

    /** The reader options for {@code parser} ({@code json}, {@code apache-log}, {@code none}) over {@code fields}. */
    public static java.util.Map<String, String> options(String parser, List<String> fields) {
        try {
            return java.util.Map.of("parser", parser, "fields", JSON.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RecordParser parser(String name, List<String> fields) {
        switch (name) {
            case "json":
                return new JsonRecordParser(fields);
            case "apache-log":
                return new ApacheLogParser(fields);
            case "none":
                return null;
            default:
                throw new IllegalArgumentException("unknown record parser '" + name + "'");
        }
    }

    @Override
    public String shortName() {
        return "streampatterns-records";
    }

    @Override
    public String toString() {
        return "StreampatternsRecords";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordFileFormat;
    }

    @Override
    public int hashCode() {
        return RecordFileFormat.class.hashCode();
    }

    @Override
    public Option<StructType> inferSchema(SparkSession spark, Map<String, String> options, Seq<FileStatus> files) {
        return Option.apply(schema(fields(options).size()));
    }

    @Override
    public OutputWriterFactory prepareWrite(SparkSession spark, Job job, Map<String, String> options, StructType dataSchema) {
        throw new UnsupportedOperationException("the streampatterns record format is read-only");
    }

    @Override
    public Function1<PartitionedFile, Iterator<InternalRow>> buildReader(SparkSession spark, StructType dataSchema,
            StructType partitionSchema, StructType requiredSchema, Seq<Filter> filters, Map<String, String> options,
            Configuration hadoopConf) {
        Broadcast<SerializableConfiguration> conf = SerializableConfiguration.broadcast(spark.sparkContext(), hadoopConf);
        String parser = options.get("parser").getOrElse(() -> "none");
        return new RecordFileReader(conf, parser, fields(options), Arrays.asList(requiredSchema.fieldNames()));
    }

    private static List<String> fields(Map<String, String> options) {
        String json = options.get("fields").getOrElse(() -> "[]");
        try {
            return Arrays.asList(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
