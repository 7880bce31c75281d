package io.stagetune.ingest.service;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads zip and tar.gz archives safely. A first pass checks every entry name (no absolute paths, no {@code ..})
 * and the entry count and declared sizes before anything is used, so an unsafe archive is refused whole; the
 * second pass hands out the files, reading at most {@code maxFileBytes + 1} bytes of each and stopping when the
 * archive expands beyond its limit.
 */
public class ArchiveReader {

    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final long maxFileBytes;
    private final int maxEntries;
    private final long maxExpandedBytes;

    public ArchiveReader(long maxFileBytes, int maxEntries, long maxExpandedBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maxEntries = maxEntries;
        this.maxExpandedBytes = maxExpandedBytes;
    }

    /** Receives each file of an archive; {@code bytes} is null when the file is larger than the file limit. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(String path, byte[] bytes, long size);
    }

    /** Checks the archive, then streams its files to the consumer. */
    public void read(Path archive, String archiveName, EntryConsumer consumer) {
        try {
            switch (kindOf(archive, archiveName)) {
                case ZIP -> readZip(archive, archiveName, consumer);
                case TAR_GZ -> readTarGz(archive, archiveName, consumer);
            }
        } catch (IOException e) {
            throw IngestException.badRequest("archive '" + archiveName + "' cannot be read: " + e.getMessage());
        }
    }

    private enum Kind { ZIP, TAR_GZ }

    private static Kind kindOf(Path archive, String archiveName) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(archive)) {
            int read = in.readNBytes(head, 0, head.length);
            if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return Kind.ZIP;
            }
            if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return Kind.TAR_GZ;
            }
        }
        throw IngestException.unsupported("archive '" + archiveName + "' is neither a zip nor a tar.gz file");
    }

    private void readZip(Path archive, String archiveName, EntryConsumer consumer) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Scan scan = new Scan(archiveName);
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                scan.check(entry.getName(), entry.isDirectory(), Math.max(entry.getSize(), 0));
            }
            Expansion expansion = new Expansion(archiveName);
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && !ignored(entry.getName())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        expansion.hand(entry.getName(), in, consumer);
                    }
                }
            }
        }
    }

    private void readTarGz(Path archive, String archiveName, EntryConsumer consumer) throws IOException {
        Scan scan = new Scan(archiveName);
        try (TarArchiveInputStream tar = openTar(archive)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                scan.check(entry.getName(), entry.isDirectory(), entry.getSize());
            }
        }
        Expansion expansion = new Expansion(archiveName);
        try (TarArchiveInputStream tar = openTar(archive)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isDirectory() || ignored(entry.getName())) {
                    continue;
                }
                if (!entry.isFile()) {
                    consumer.accept(entry.getName(), null, -1);
                    continue;
                }
                expansion.hand(entry.getName(), tar, consumer);
            }
        }
    }

    private static TarArchiveInputStream openTar(Path archive) throws IOException {
        return new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive))));
    }

    /** OS metadata that archivers add (macOS resource forks, hidden files) is skipped, not reported. */
    static boolean ignored(String path) {
        if (path.startsWith("__MACOSX/")) {
            return true;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.startsWith(".");
    }

    private final class Scan {
        private final String archiveName;
        private int files;
        private long declaredBytes;

        Scan(String archiveName) {
            this.archiveName = archiveName;
        }

        void check(String path, boolean directory, long size) {
            if (path.startsWith("/") || path.startsWith("\\") || WINDOWS_DRIVE.matcher(path).matches()) {
                throw IngestException.badRequest("archive '" + archiveName + "': entry '" + path
                        + "' is an absolute path");
            }
            for (String segment : path.split("[/\\\\]")) {
                if (segment.equals("..")) {
                    throw IngestException.badRequest("archive '" + archiveName + "': entry '" + path
                            + "' escapes the archive (path traversal)");
                }
            }
            if (path.indexOf('\0') >= 0) {
                throw IngestException.badRequest("archive '" + archiveName + "': entry name contains a NUL byte");
            }
            if (directory || ignored(path)) {
                return;
            }
            if (++files > maxEntries) {
                throw IngestException.tooLarge("archive '" + archiveName + "' has more than " + maxEntries
                        + " entries");
            }
            declaredBytes += size;
            if (declaredBytes > maxExpandedBytes) {
                throw IngestException.tooLarge("archive '" + archiveName + "' expands to more than "
                        + maxExpandedBytes + " bytes");
            }
        }
    }

    private final class Expansion {
        private final String archiveName;
        private long expandedBytes;

        Expansion(String archiveName) {
            this.archiveName = archiveName;
        }

        /** Reads one entry, never more than the file limit plus one byte (declared sizes can lie). */
        void hand(String path, InputStream in, EntryConsumer consumer) throws IOException {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
            expandedBytes += bytes.length;
            if (expandedBytes > maxExpandedBytes) {
                throw IngestException.tooLarge("archive '" + archiveName + "' expands to more than "
                        + maxExpandedBytes + " bytes");
            }
            if (bytes.length > maxFileBytes) {
                consumer.accept(path, null, bytes.length);
            } else {
                consumer.accept(path, bytes, bytes.length);
            }
        }
    }
}
