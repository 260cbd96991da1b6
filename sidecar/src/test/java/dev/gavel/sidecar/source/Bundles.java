package dev.gavel.sidecar.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Directories, bundles and hand-made archives for the tests. */
final class Bundles {

    static final Path DEMO = Path.of("corpus", "demo");
    static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private Bundles() {}

    /** A copy of the demo directory. */
    static Path demo(Path to) throws IOException {
        try (Stream<Path> files = Files.walk(DEMO)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(DEMO.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    /** The bundle of a folder, as gavel bundle writes it. */
    static byte[] bundle(Path folder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleArchive.write(DirectoryFiles.list(folder), out);
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(DirectoryFiles.sha256().digest(bytes));
    }

    /** A digest file for {@code bytes}, as sha256sum prints it. */
    static byte[] digestFile(byte[] bytes) {
        return Checksums.fileText(sha256(bytes), "b.tar.gz").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Writes entries into a hand-made tar.gz. */
    interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A tar.gz of the demo's files followed by whatever {@code extra} adds. */
    static byte[] tarGz(Path demo, Entries extra) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            if (demo != null) {
                for (DirectoryFiles.Entry file : DirectoryFiles.list(demo)) {
                    file(tar, file.name(), Files.readAllBytes(file.path()));
                }
            }
            extra.write(tar);
        }
        return out.toByteArray();
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        file(tar, new TarArchiveEntry(name), content);
    }

    static void file(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) throws IOException {
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static void special(TarArchiveOutputStream tar, String name, byte type, String linkName) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        if (linkName != null) {
            entry.setLinkName(linkName);
        }
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
