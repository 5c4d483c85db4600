package io.streampatterns.joins;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * Where a {@link LookupJoin} looks keys up: a remote table answering "these keys → their rows" in one round trip.
 * Shipped to executors (serializable); {@link #open()} is called at most once per task partition (at its first
 * cache miss) and the session it returns is closed when the partition ends, failed or not.
 */
public interface LookupSource extends Serializable {
    /** Name of the source, also the namespace of its executor-side cache (same name, same cache). */
    String name();

    /** Columns of the looked-up rows, in order (without the key). */
    StructType schema();

    /** A session (e.g. a database connection) for one partition of one micro-batch. */
    Session open();

    /** One partition's session. */
    interface Session extends AutoCloseable {
        /**
         * Fetches the rows of {@code keys} (canonical keys: the key's string form) in one round trip. Keys with no
         * row are absent from the result. Values follow {@link LookupSource#schema()}.
         */
        Map<String, Row> fetch(Collection<String> keys) throws Exception;

        @Override
        void close();
    }
}
