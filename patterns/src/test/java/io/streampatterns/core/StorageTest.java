package io.streampatterns.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locations and file operations on {@code file:} URIs, without Spark. */
class StorageTest {
    @Test
    void plainPathsBecomeAbsoluteFileUris() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("file:" + cwd + "/out/t", Storage.location("out/t").toString());
        assertEquals("file:/data/lake", Storage.location("/data/lake/").toString());
        assertEquals("file:/data/a b", Storage.text(Storage.location("/data/a b")));
    }

    @Test
    void schemesAreKept() {
        assertEquals("hdfs://nn:8020/lake/t", Storage.location("hdfs://nn:8020/lake/t").toString());
        assertEquals("s3a://bucket/lake", Storage.location("s3a://bucket/lake/").toString());
        assertEquals("abfss://c@acct.dfs.core.windows.net/lake",
                Storage.location("abfss://c@acct.dfs.core.windows.net/lake").toString());
        assertEquals("file:/tmp/x", Storage.location("file:///tmp/x").toString());
        assertEquals("hdfs://nn:8020/", Storage.location("hdfs://nn:8020/").toString());
    }

    @Test
    void noLocationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Storage.location(""));
        assertThrows(IllegalArgumentException.class, () -> Storage.location("hdfs://nn:8020"));
    }

    /** Sink ids are derived from the text: an existing directory's {@code Path.toUri()} (trailing slash) is the same location. */
    @Test
    void oneSpellingPerLocation(@TempDir Path dir) {
        assertEquals(dir.toUri().toString(), "file://" + dir + "/");
        assertEquals("file:" + dir, Storage.text(dir.toUri()));
        assertEquals("file:" + dir + "/t", Storage.child(dir.toUri(), "t").toString());
        assertEquals("file:" + dir + "_checkpoint", Storage.sibling(dir.toUri(), "_checkpoint").toString());
    }

    @Test
    void childrenAndSiblings() {
        URI out = Storage.location("hdfs://nn/lake/sessions");
        assertEquals("hdfs://nn/lake/sessions/_delta_log", Storage.child(out, "_delta_log").toString());
        assertEquals("hdfs://nn/lake/sessions_checkpoint", Storage.sibling(out, "_checkpoint").toString());
        assertEquals("sessions", Storage.name(out));
    }

    @Test
    void filesAreWrittenWholeAndListed(@TempDir Path dir) throws Exception {
        URI root = dir.toUri();
        URI file = Storage.child(Storage.child(root, "ckpt"), "id");
        assertFalse(Storage.exists(file));
        Storage.writeAtomically(file, "one");
        Storage.writeAtomically(file, "two");
        assertEquals("two", Storage.read(file));
        assertTrue(Storage.isDirectory(Storage.child(root, "ckpt")));
        assertFalse(Storage.isDirectory(file));
        // no temporary file left behind (checksum files of the local file system aside)
        try (var names = Files.list(dir.resolve("ckpt"))) {
            assertEquals(List.of("id"), names.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).toList());
        }
        assertEquals(List.of("ckpt"), Storage.list(root).stream().map(Storage::name).toList());
        assertEquals(3, Storage.size(Storage.child(root, "ckpt")));
        assertEquals(List.of(), Storage.list(Storage.child(root, "none")));
        Storage.delete(Storage.child(root, "ckpt"));
        assertFalse(Storage.exists(file));
    }
}
