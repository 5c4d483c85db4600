package io.streampatterns.apps.fraud;

import io.streampatterns.online.Scorer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.List;

/**
 * Scores event rows ({@code id, event_time, num, str, imputed, duplicate_of}) on the executors with the broadcast snapshot of the
 * model version current at the start of the batch: every copy scores with the same weights.
 */
final class ScoreEvents implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    static final StructType SCHEMA = new StructType()
            .add(FraudRows.ID, DataTypes.StringType)
            .add(FraudRows.EVENT_TIME, DataTypes.TimestampType)
            .add(FraudRows.NUM, DataTypes.createArrayType(DataTypes.DoubleType))
            .add(FraudRows.STR, DataTypes.createArrayType(DataTypes.StringType))
            .add(FraudRows.IMPUTED, DataTypes.StringType)
            .add("duplicate_of", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("challenger_score", DataTypes.DoubleType)
            .add("anomaly_score", DataTypes.DoubleType)
            .add("model_version", DataTypes.LongType)
            .add("is_alert", DataTypes.BooleanType);

    private final Broadcast<Scorer> scorer;

    ScoreEvents(Broadcast<Scorer> scorer) {
        this.scorer = scorer;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Scorer s = scorer.value();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                double[] sc = s.score(numbers(r.getList(2)), strings(r.getList(3)));
                return RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), sc[0], sc[1], sc[2],
                        s.version(), sc[0] >= s.threshold());
            }
        };
    }

    static double[] numbers(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            Double v = values.get(i);
            out[i] = v == null ? Double.NaN : v;
        }
        return out;
    }

    static String[] strings(List<String> values) {
        return values.toArray(new String[0]);
    }
}
