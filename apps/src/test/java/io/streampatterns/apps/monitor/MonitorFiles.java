package io.streampatterns.apps.monitor;

import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.quarantine.RecordFormat;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/** The monitor's input from a directory of log files, read as the {@code monitor} command reads it. */
final class MonitorFiles {
    private MonitorFiles() {
    }

    static EventInput input(SparkSession spark, Path dir, MonitorApp.Options o) {
        return MonitorApp.input(RawInput.files(spark, dir, 0, RecordFormat.APACHE_LOG, MonitorApp.SCHEMA), o,
                RawInput.rereadFiles(spark, RecordFormat.APACHE_LOG, MonitorApp.SCHEMA, o.validation()));
    }
}
