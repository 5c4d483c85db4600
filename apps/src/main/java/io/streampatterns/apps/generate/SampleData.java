package io.streampatterns.apps.generate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Real sample data shipped with the project (see {@code sample/.../SOURCE.md} for sources and licences). */
public final class SampleData {
    private static final String APACHE_LOGS = "/sample/apache_logs/apache_logs";
    private static Path apacheLogsCopy;

    private SampleData() {
    }

    /**
     * 10,000 real Apache access-log lines (combined format, May 2015, Apache-2.0, from elastic/examples). The
     * resource file itself when on the file system; from a jar, a temporary copy deleted when the JVM exits.
     */
    public static synchronized Path apacheLogs() {
        URL url = SampleData.class.getResource(APACHE_LOGS);
        if (url == null) {
            throw new IllegalStateException("resource " + APACHE_LOGS + " is missing from the classpath");
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            if (apacheLogsCopy == null) {
                Path copy = Files.createTempFile("apache_logs", "");
                copy.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                apacheLogsCopy = copy;
            }
            return apacheLogsCopy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + APACHE_LOGS, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }
}
