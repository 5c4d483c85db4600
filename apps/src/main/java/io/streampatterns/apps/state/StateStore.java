package io.streampatterns.apps.state;

import io.streampatterns.core.Storage;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.from_json;

/**
 * One readable piece of a checkpoint's state: a state store of a stateful operator, or for {@code transformWithState}
 * one of its state variables (timers included). Listed from Spark's {@code state-metadata} source and read with its
 * {@code statestore} source.
 */
record StateStore(long operatorId, String operatorName, String storeName, int partitions, long minBatchId,
                  long maxBatchId, String variable, String variableType) {
    static final String TIMERS = "TimerState";
    private static final StructType PROPERTIES = new StructType().add("stateVariables", DataTypes.createArrayType(
            new StructType().add("stateName", DataTypes.StringType).add("stateVariableType", DataTypes.StringType)));

    /** The stores of every stateful operator of the checkpoint, by operator id. */
    static List<StateStore> list(SparkSession spark, URI checkpoint) {
        registerStateStoreCoordinator(spark);
        Dataset<Row> meta = spark.read().format("state-metadata").load(Storage.text(checkpoint));
        Dataset<Row> rows = meta
                .withColumn("var", explode_outer(from_json(col("operatorProperties"), PROPERTIES).getField("stateVariables")))
                .selectExpr("operatorId", "operatorName", "stateStoreName", "numPartitions", "minBatchId", "maxBatchId",
                        "var.stateName", "var.stateVariableType")
                .orderBy("operatorId", "stateStoreName", "stateName");
        List<StateStore> stores = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            stores.add(new StateStore(r.getLong(0), r.getString(1), r.getString(2), r.getInt(3), r.getLong(4), r.getLong(5),
                    r.isNullAt(6) ? null : r.getString(6), r.isNullAt(7) ? null : r.getString(7)));
        }
        return stores;
    }

    /**
     * RocksDB reports every snapshot it loads to the driver's StateStoreCoordinator (snapshot upload lag detection,
     * Spark 4.1+), an RPC endpoint that Spark registers only when the session's StreamingQueryManager is created.
     * A session that never touched {@code spark.streams()}, as this command's own, then fails to load any state:
     * CANNOT_LOAD_STATE_STORE, AUTO_SNAPSHOT_REPAIR_FAILED, caused by RpcEndpointNotFoundException (SPARK-58973).
     * Creating the manager registers the endpoint, as a streaming query would.
     */
    private static void registerStateStoreCoordinator(SparkSession spark) {
        spark.streams();
    }

    /** The rows of this store at the latest committed batch: {@code key}, the value columns, {@code partition_id}. */
    Dataset<Row> read(SparkSession spark, URI checkpoint) {
        DataFrameReader r = spark.read().format("statestore").option("operatorId", operatorId);
        if (variable == null) {
            r = r.option("storeName", storeName);
        } else if (TIMERS.equals(variableType)) {
            r = r.option("readRegisteredTimers", true);
        } else {
            r = r.option("stateVarName", variable);
        }
        return r.load(Storage.text(checkpoint));
    }

    /** How the store is named in the report: the state variable and its type, or the store name. */
    String label() {
        return variable != null ? variable + " (" + variableType + ")" : "store " + storeName;
    }
}
