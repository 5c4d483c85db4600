package io.streampatterns.globalagg;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;

/** Where the statistics' inputs are in an input row, and the schemas of the state value and the output row. */
final class StatsLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    final int timeIndex;
    final int[] sumIndexes;
    final boolean[] integral;
    final String[] sumNames;
    final int sessionIndex;

    private StatsLayout(int timeIndex, int[] sumIndexes, boolean[] integral, String[] sumNames, int sessionIndex) {
        this.timeIndex = timeIndex;
        this.sumIndexes = sumIndexes;
        this.integral = integral;
        this.sumNames = sumNames;
        this.sessionIndex = sessionIndex;
    }

    static StatsLayout of(GlobalStats.Options options, StructType input) {
        List<String> sums = options.sumColumns();
        int[] indexes = new int[sums.size()];
        boolean[] integral = new boolean[sums.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = input.fieldIndex(sums.get(i));
            integral[i] = input.fields()[indexes[i]].dataType() instanceof IntegralType;
        }
        int session = options.sessionStartColumn().map(input::fieldIndex).orElse(-1);
        return new StatsLayout(input.fieldIndex(options.timeColumn()), indexes, integral,
                sums.toArray(new String[0]), session);
    }

    boolean countsSessions() {
        return sessionIndex >= 0;
    }

    private DataType sumType(int i) {
        return integral[i] ? DataTypes.LongType : DataTypes.DoubleType;
    }

    /** The state value: times as epoch milliseconds, counts, then one running total per sum column. */
    StructType stateSchema() {
        StructType s = new StructType()
                .add("active_since_ms", DataTypes.LongType, false)
                .add("first_seen_ms", DataTypes.LongType, false)
                .add("last_seen_ms", DataTypes.LongType, false)
                .add("events", DataTypes.LongType, false)
                .add("sessions", DataTypes.LongType, false);
        for (int i = 0; i < sumNames.length; i++) {
            s = s.add("total_" + sumNames[i], sumType(i), false);
        }
        return s;
    }

    /** The output row: the key, the times, the counts, the totals, {@code pruned}. */
    StructType outputSchema(StructField key) {
        StructType s = new StructType()
                .add(key)
                .add(GlobalStats.ACTIVE_SINCE, DataTypes.TimestampType, false)
                .add(GlobalStats.FIRST_SEEN, DataTypes.TimestampType, false)
                .add(GlobalStats.LAST_SEEN, DataTypes.TimestampType, false)
                .add(GlobalStats.EVENTS, DataTypes.LongType, false);
        for (int i = 0; i < sumNames.length; i++) {
            s = s.add("total_" + sumNames[i], sumType(i), false);
        }
        if (countsSessions()) {
            s = s.add(GlobalStats.SESSIONS, DataTypes.LongType, false);
        }
        return s.add(GlobalStats.PRUNED, DataTypes.BooleanType, false);
    }
}
