package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

/** Checks that the columns a join needs exist, with a message naming the input and what it has. */
final class Columns {
    private Columns() {
    }

    static void require(Dataset<Row> ds, String input, String... columns) {
        for (String c : columns) {
            ConfigException.check(Arrays.asList(ds.columns()).contains(c),
                    input + ": no column '" + c + "' (columns: " + String.join(", ", ds.columns()) + ")");
        }
    }
}
