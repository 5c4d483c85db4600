package io.streampatterns.sink;

import org.apache.spark.Dependency;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Evaluating a {@code foreachBatch} micro-batch exactly once, for sinks that read it several times (several tables,
 * a count then a write) or must read it even when every write is skipped as a replay.
 */
public final class MicroBatch {
    private MicroBatch() {
    }

    /**
     * The batch evaluated now and kept as rows (no columnar cache to build). The evaluation happens even when every
     * sink then skips the batch as a replay: stateful steps upstream must commit their state for every batch id (Spark 4
     * validates it for foreachBatch, SPARK-52008). Unlike a cache, lost blocks (an executor lost mid-batch) are not
     * recomputed, which would run the stateful steps twice: the batch fails, and the restarted query replays it exactly
     * once. Give the result to {@link #release} when done.
     */
    public static Dataset<Row> evaluate(Dataset<Row> batch) {
        return evaluated(batch) ? batch : batch.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Whether {@code batch} reads no input: a no-data micro-batch (Spark runs one when the watermark moves, so that
     * stateful steps evict state; each source of it is then an empty relation, an RDD without partitions). Stateful
     * steps see no input row in it: a sink whose steps emit nothing on eviction (dedup) can skip its writes, after
     * evaluating the batch. Read from the batch's RDD lineage (a {@code foreachBatch} batch is one RDD), not run.
     */
    public static boolean hasNoInput(Dataset<Row> batch) {
        return leavesAreEmpty(batch.rdd(), new java.util.HashSet<>());
    }

    private static boolean leavesAreEmpty(RDD<?> rdd, java.util.Set<Integer> seen) {
        if (!seen.add(rdd.id())) {
            return true;
        }
        scala.collection.Iterator<Dependency<?>> deps = rdd.dependencies().iterator();
        if (!deps.hasNext()) {
            return rdd.getNumPartitions() == 0;
        }
        while (deps.hasNext()) {
            if (!leavesAreEmpty(deps.next().rdd(), seen)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code batch} is already an evaluated batch (a sink wrapped in another one gets it evaluated). */
    private static boolean evaluated(Dataset<Row> batch) {
        LogicalPlan plan = batch.queryExecution().analyzed();
        return plan instanceof LogicalRDD && ((LogicalRDD) plan).rdd().isLocallyCheckpointed();
    }

    /**
     * Frees the blocks of an {@link #evaluate}d batch now rather than when the garbage collector finds them (through
     * the context, as {@code RDD.unpersist} warns on every batch that a local checkpoint cannot be recomputed).
     */
    public static void release(Dataset<Row> evaluated) {
        LogicalPlan plan = evaluated.queryExecution().analyzed();
        if (plan instanceof LogicalRDD) {
            int id = ((LogicalRDD) plan).rdd().id();
            if (evaluated.sparkSession().sparkContext().getPersistentRDDs().contains(id)) {
                evaluated.sparkSession().sparkContext().unpersistRDD(id, false);
            }
        }
    }
}
