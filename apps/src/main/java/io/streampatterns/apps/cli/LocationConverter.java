package io.streampatterns.apps.cli;

import io.streampatterns.core.Storage;
import picocli.CommandLine.ITypeConverter;

import java.net.URI;

/**
 * Options naming a table, checkpoint, output or lake directory: a Hadoop file-system URI ({@code hdfs://nn:8020/lake},
 * {@code s3a://bucket/lake}, {@code file:/data/lake}) or a local path, made absolute (see {@link Storage#location}).
 * Text that is no location is a usage error: {@link Cli} prints {@code --lake: not a location 'hdfs://a b/x' (...)} and
 * exits with code 2.
 */
public final class LocationConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
        try {
            return Storage.location(value);
        } catch (IllegalArgumentException e) {
            throw new OptionValueException("not a location '" + value + "' (a path, or a URI such as hdfs://namenode:8020/dir): "
                    + e.getMessage());
        }
    }
}
