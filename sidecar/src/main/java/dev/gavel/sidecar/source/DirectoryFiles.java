package dev.gavel.sidecar.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a directory consists of, as {@code DirectoryLoader} reads them: the folder's
 * {@code *.json} files and {@code accounts/*.json}; or one account file. Other files (a README)
 * are not part of it: they are neither bundled nor fingerprinted. Symbolic links are followed, as
 * the loader follows them, so a folder that Kubernetes mounts from a ConfigMap (files linked
 * through {@code ..data}) reads as its files; the hidden {@code ..data} folders are not read.
 *
 * <p>If the loader comes to read more files, this list must grow with it.
 */
final class DirectoryFiles {

    /** One file: its name inside the directory, with {@code /} between folders, and where it is. */
    record Entry(String name, Path path) {}

    private DirectoryFiles() {}

    /** The directory's files in name order; an account file on its own is one entry named by its file name. */
    static List<Entry> list(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (Files.isRegularFile(directory)) {
            entries.add(new Entry(directory.getFileName().toString(), directory));
            return entries;
        }
        addJson(directory, "", entries);
        addJson(directory.resolve("accounts"), "accounts/", entries);
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    private static void addJson(Path folder, String prefix, List<Entry> entries) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && Files.isRegularFile(file)) {
                    entries.add(new Entry(prefix + name, file));
                }
            }
        }
    }

    /**
     * The names, sizes and modification times of the directory's files: cheap to read, and
     * different whenever a file is added, removed or written. An unreadable folder reads as its error.
     */
    static String stat(Path directory) {
        StringBuilder out = new StringBuilder();
        try {
            for (Entry entry : list(directory)) {
                out.append(entry.name()).append(' ').append(Files.size(entry.path())).append(' ')
                        .append(Files.getLastModifiedTime(entry.path()).toMillis()).append('\n');
            }
        } catch (IOException e) {
            out.append("unreadable: ").append(e);
        }
        return out.toString();
    }

    /**
     * {@code files-sha256:HEX}: a SHA-256 over each file's name, length and bytes, in name order.
     * The same files give the same version on any machine, wherever the folder is.
     */
    static String contentVersion(Path directory) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (Entry entry : list(directory)) {
            digest.update(entry.name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(longBytes(Files.size(entry.path())));
            try (InputStream in = Files.newInputStream(entry.path())) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return "files-sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
