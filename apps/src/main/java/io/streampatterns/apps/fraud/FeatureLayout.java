package io.streampatterns.apps.fraud;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Which features are numbers (scaled online) and which are strings (hashed one-hot), by name, in model order. */
record FeatureLayout(List<String> numeric, List<String> strings) implements Serializable {

    /** The built-in transaction features of {@link CardFeatures}. */
    static FeatureLayout builtin() {
        return new FeatureLayout(CardFeatures.NUMERIC, CardFeatures.STRINGS);
    }

    /** {@code columns} of the events' schema: numeric types are numbers, everything else is hashed as a string. */
    static FeatureLayout of(StructType schema, List<String> columns) {
        List<String> numeric = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (String c : columns) {
            ConfigException.check(List.of(schema.fieldNames()).contains(c), "--features: column '" + c
                    + "' is not in the events' schema (fields: " + String.join(", ", schema.fieldNames()) + ")");
            DataType t = schema.apply(c).dataType();
            (t instanceof NumericType ? numeric : strings).add(c);
        }
        return new FeatureLayout(List.copyOf(numeric), List.copyOf(strings));
    }

    /**
     * The events' schema as read: numeric feature columns become nullable strings, so that a value that is not a
     * number is imputed and flagged when scored instead of sending the whole record to quarantine.
     */
    StructType relax(StructType schema) {
        StructType st = new StructType();
        for (StructField f : schema.fields()) {
            st = numeric.contains(f.name()) ? st.add(f.name(), DataTypes.StringType, true) : st.add(f);
        }
        return st;
    }
}
