package io.streampatterns.core;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.spark.sql.SparkSession;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Locations of tables, checkpoints and outputs: Hadoop file-system URIs ({@code file:}, {@code hdfs://},
 * {@code s3a://}, {@code abfss://}), so that a pipeline writes to a cluster's storage as well as to a local disk, and
 * the few file operations the project does there itself (sink ids, recorded options, the dashboard's reads).
 *
 * <p>The file system comes from the active SparkSession's Hadoop configuration when there is one (it holds the
 * credentials and endpoints given as {@code spark.hadoop.*}), else from a default {@link Configuration}.</p>
 *
 * <pre>{@code
 * URI out = Storage.location("out/sessions");            // file:/home/me/out/sessions
 * URI ckpt = Storage.location("hdfs://nn:8020/ckpt");     // kept as is
 * Storage.writeAtomically(Storage.child(ckpt, "id"), "x");
 * }</pre>
 */
public final class Storage {
    private Storage() {
    }

    /**
     * The location a user wrote: text with a scheme ({@code hdfs://nn/x}, {@code file:/x}) as it is, a bare or
     * relative path as an absolute local {@code file:} URI; a trailing slash is dropped (children are appended).
     * {@link IllegalArgumentException} for text that is no location (empty, or not a URI).
     */
    public static URI location(String text) {
        Objects.requireNonNull(text, "location");
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty location");
        }
        // a scheme has 2+ characters: "C:" stays a (Windows) path
        if (text.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return normal(new Path(text).toUri());
        }
        return normal(java.nio.file.Path.of(text).toAbsolutePath().normalize().toUri());
    }

    /**
     * One spelling per location, as sink ids and recorded options are derived from its text: {@code file:/x} (not
     * {@code file:///x}), no trailing slash ({@code Path.toUri()} adds one for an existing directory).
     */
    static URI normal(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("no path in '" + uri + "'");
        }
        String authority = uri.getAuthority() == null || uri.getAuthority().isEmpty() ? null : uri.getAuthority();
        try {
            return new URI(uri.getScheme(), authority, path.length() > 1 ? path.replaceAll("/+$", "") : path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The location as Spark and Delta take it ({@code file:/x y}, {@code hdfs://nn:8020/x}). */
    public static String text(URI location) {
        return new Path(normal(location)).toString();
    }

    /** {@code dir/name}. */
    public static URI child(URI dir, String name) {
        return normal(new Path(new Path(normal(dir)), name).toUri());
    }

    /** The location beside {@code location}, named as it is with {@code suffix} ({@code out} → {@code out_checkpoint}). */
    public static URI sibling(URI location, String suffix) {
        Path p = new Path(normal(location));
        return p.getParent() == null ? child(location, suffix) : new Path(p.getParent(), p.getName() + suffix).toUri();
    }

    /** The last name of the location ({@code sessions} for {@code hdfs://nn/out/sessions}). */
    public static String name(URI location) {
        return new Path(location).getName();
    }

    public static boolean exists(URI location) {
        return io(location, () -> fs(location).exists(new Path(location)));
    }

    public static boolean isDirectory(URI location) {
        return io(location, () -> {
            try {
                return fs(location).getFileStatus(new Path(location)).isDirectory();
            } catch (FileNotFoundException e) {
                return false;
            }
        });
    }

    /** The entries of the directory, by name; none when it does not exist. */
    public static List<URI> list(URI dir) {
        return io(dir, () -> {
            List<URI> out = new ArrayList<>();
            try {
                for (FileStatus s : fs(dir).listStatus(new Path(dir))) {
                    out.add(s.getPath().toUri());
                }
            } catch (FileNotFoundException e) {
                return out;
            }
            out.sort((a, b) -> name(a).compareTo(name(b)));
            return out;
        });
    }

    /** The size in bytes of the files under {@code location} (0 when none; files removed meanwhile are not counted). */
    public static long size(URI location) {
        return io(location, () -> {
            try {
                return fs(location).getContentSummary(new Path(location)).getLength();
            } catch (FileNotFoundException e) {
                return 0L;
            }
        });
    }

    /** When the file was last written. */
    public static Instant modified(URI file) {
        return io(file, () -> Instant.ofEpochMilli(fs(file).getFileStatus(new Path(file)).getModificationTime()));
    }

    /** The UTF-8 text of a small file. */
    public static String read(URI file) {
        return io(file, () -> {
            try (InputStream in = fs(file).open(new Path(file))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    /**
     * Writes a small file: to a temporary file beside it first, then renamed over it, so that a crash never leaves
     * half a file (a reader sees the old text or the new one).
     */
    public static void writeAtomically(URI file, String text) {
        io(file, () -> {
            Path target = new Path(file);
            FileSystem fs = fs(file);
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            replace(fs, tmp, target);
            return null;
        });
    }

    /**
     * Renames {@code tmp} over {@code target}: atomically on HDFS (rename with overwrite) and on a local disk (POSIX
     * rename); on a file system whose rename refuses an existing target (object stores) the target is deleted first.
     */
    private static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
        if (fs instanceof DistributedFileSystem dfs) {
            dfs.rename(tmp, target, Options.Rename.OVERWRITE);
            return;
        }
        boolean renamed;
        try {
            renamed = fs.rename(tmp, target);
        } catch (FileAlreadyExistsException e) {
            renamed = false;
        }
        if (!renamed) {
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        }
    }

    public static void mkdirs(URI dir) {
        io(dir, () -> fs(dir).mkdirs(new Path(dir)));
    }

    /** Deletes the file or the directory with everything in it; nothing when it does not exist. */
    public static void delete(URI location) {
        io(location, () -> fs(location).delete(new Path(location), true));
    }

    /** The Hadoop file system of the location, configured as the active SparkSession's (see the class comment). */
    public static FileSystem fs(URI location) throws IOException {
        return FileSystem.get(location, configuration());
    }

    /** The active SparkSession's Hadoop configuration, else a default one. */
    public static Configuration configuration() {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isEmpty()) {
            active = SparkSession.getDefaultSession();
        }
        return active.isDefined() ? active.get().sparkContext().hadoopConfiguration() : new Configuration();
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private static <T> T io(URI location, IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + text(location) + ": " + e.getMessage(), e);
        }
    }
}
