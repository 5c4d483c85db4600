package io.streampatterns.input;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads one split of a file for {@link RecordFileFormat}: lines through Hadoop's {@link LineRecordReader} (which
 * gives each line's byte offset, and handles splits and compression), numbered from the newlines before the split,
 * parsed once, written into one reused {@code UnsafeRow} per line (Spark copies rows it keeps).
 */
final class RecordFileReader extends AbstractFunction1<PartitionedFile, Iterator<InternalRow>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte[] NEWLINE = {'\n'};
    private static final int VALUE = -1;
    private static final int LINE = -2;
    private static final int ERROR = -3;

    private final Broadcast<SerializableConfiguration> conf;
    private final String parserName;
    private final List<String> fields;
    /** Per output column: VALUE, LINE, ERROR or the index of a parsed field. */
    private final int[] columns;
    private final boolean parses;

    RecordFileReader(Broadcast<SerializableConfiguration> conf, String parserName, List<String> fields, List<String> required) {
        this.conf = conf;
        this.parserName = parserName;
        this.fields = List.copyOf(fields);
        this.columns = new int[required.size()];
        boolean parse = false;
        for (int c = 0; c < columns.length; c++) {
            String name = required.get(c);
            if (name.equals(RecordFileFormat.VALUE)) {
                columns[c] = VALUE;
            } else if (name.equals(RecordFileFormat.LINE)) {
                columns[c] = LINE;
            } else if (name.equals(RecordFileFormat.PARSE_ERROR)) {
                columns[c] = ERROR;
                parse = true;
            } else {
                columns[c] = Integer.parseInt(name.substring(name.lastIndexOf('_') + 1));
                parse = true;
            }
        }
        this.parses = parse && !parserName.equals("none");
    }

    @Override
    public Iterator<InternalRow> apply(PartitionedFile file) {
        Configuration hadoop = conf.value().value();
        Path path = file.toPath();
        LineRecordReader lines = new LineRecordReader(NEWLINE);
        try {
            lines.initialize(new FileSplit(path, file.start(), file.length(), new String[0]),
                    new TaskAttemptContextImpl(hadoop, new TaskAttemptID()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly(lines));
        }
        RecordParser parser = parses ? RecordFileFormat.parser(parserName, fields) : null;
        return new Lines(lines, parser, path, hadoop);
    }

    private static void closeQuietly(LineRecordReader lines) {
        try {
            lines.close();
        } catch (IOException e) {
            // reading is over: nothing to do about a failed close of an input
        }
    }

    /** Number of newline bytes in {@code [0, end)} of {@code path}: the lines that precede byte {@code end}. */
    static long newlinesBefore(Path path, long end, Configuration hadoop) throws IOException {
        long count = 0;
        byte[] buffer = new byte[1 << 16];
        try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
            long left = end;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
                left -= n;
            }
        }
        return count;
    }

    /** The rows of one split. */
    private final class Lines extends AbstractIterator<InternalRow> {
        private final LineRecordReader lines;
        private final RecordParser parser;
        private final Path path;
        private final Configuration hadoop;
        private final UnsafeRowWriter writer = new UnsafeRowWriter(columns.length, 256);
        private final String[] texts = new String[fields.size()];
        /** Line number of the next line read; 0 until the first line is read. */
        private long line;
        private boolean ready;
        private boolean done;

        Lines(LineRecordReader lines, RecordParser parser, Path path, Configuration hadoop) {
            this.lines = lines;
            this.parser = parser;
            this.path = path;
            this.hadoop = hadoop;
        }

        @Override
        public boolean hasNext() {
            try {
                while (!ready && !done) {
                    if (!lines.nextKeyValue()) {
                        done = true;
                        closeQuietly(lines);
                    } else {
                        if (line == 0) {
                            long offset = lines.getCurrentKey().get();
                            line = offset == 0 ? 1 : newlinesBefore(path, offset, hadoop) + 1;
                        }
                        ready = write(lines.getCurrentValue(), line++);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
            }
            return ready;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            ready = false;
            return writer.getRow();
        }

        /** Writes the row of one line; false for a blank line (no row). */
        private boolean write(Text text, long number) {
            byte[] bytes = text.getBytes();
            int len = text.getLength();
            if (len > 0 && bytes[len - 1] == '\r') {
                len--;
            }
            if (isBlank(bytes, len)) {
                return false;
            }
            String error = parser == null ? null : parser.parse(bytes, 0, len, texts);
            writer.reset();
            writer.zeroOutNullBytes();
            for (int c = 0; c < columns.length; c++) {
                int what = columns[c];
                if (what == VALUE) {
                    writer.write(c, UTF8String.fromBytes(bytes, 0, len));
                } else if (what == LINE) {
                    writer.write(c, number);
                } else if (what == ERROR) {
                    writeText(c, error);
                } else {
                    writeText(c, parser == null ? null : texts[what]);
                }
            }
            return true;
        }

        private void writeText(int column, String s) {
            if (s == null) {
                writer.setNullAt(column);
            } else {
                writer.write(column, UTF8String.fromString(s));
            }
        }
    }

    private static boolean isBlank(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
