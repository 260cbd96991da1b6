package dev.gavel.sidecar.source;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.LoadProblem;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A bundle: a directory as a gzip-compressed tar, written the same way every time and read
 * without trusting it.
 *
 * <p><b>Writing</b> ({@link #write}): the directory's files in name order, each a regular file
 * with mode 0644, owner and group 0 with no names, and the modification time 2000-01-01T00:00:00Z
 * (not 0, which GNU tar calls "implausibly old"); no folder entries; POSIX (PAX) headers only for
 * names that need them; gzip at level 9 with no file name, no time and the "unknown" system. So
 * the same files give the same bytes, and the same SHA-256, with the same Java and zlib. (Deflate
 * output is not promised across zlib versions: publish the bytes you made, don't rebuild them
 * elsewhere expecting the same digest.)
 *
 * <p><b>Reading</b> ({@link #extract}) into a fresh folder, refusing anything that could write
 * outside it or be other than data: absolute names, {@code ..}, symbolic and hard links, devices,
 * pipes and any other entry type; a name given twice. Limits bound the entries and the bytes the
 * gzip stream expands to (headers included, so no header trick escapes them); the stream is read
 * to its end, so gzip's own CRC is checked too. A tar made by hand is fine as long as it holds
 * files and folders: {@code tar czf bundle.tar.gz -C DIR .} gives {@code ./accounts/...}, and a
 * bundle that holds one folder (no {@code accounts/} at its top) or one account file is read as
 * that folder or that file.
 */
final class BundleArchive {

    /** The modification time of every entry written: 2000-01-01T00:00:00Z. */
    static final long ENTRY_TIME_MILLIS = 946_684_800_000L;
    private static final int FILE_MODE = 0100644;

    private BundleArchive() {}

    /** Writes the files as a bundle to {@code out}, which it closes. */
    static void write(List<DirectoryFiles.Entry> files, OutputStream out) throws IOException {
        GzipParameters gzip = new GzipParameters();
        gzip.setCompressionLevel(Deflater.BEST_COMPRESSION);
        gzip.setModificationTime(0);
        gzip.setOS(GzipParameters.OS.UNKNOWN);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(new BufferedOutputStream(out), gzip), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            byte[] buffer = new byte[64 * 1024];
            for (DirectoryFiles.Entry file : files) {
                long size = Files.size(file.path());
                TarArchiveEntry entry = new TarArchiveEntry(file.name());
                entry.setSize(size);
                entry.setMode(FILE_MODE);
                entry.setModTime(ENTRY_TIME_MILLIS);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                tar.putArchiveEntry(entry);
                long copied = 0;
                try (InputStream in = Files.newInputStream(file.path())) {
                    for (int n; copied < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied)))
                            > 0; ) {
                        tar.write(buffer, 0, n);
                        copied += n;
                    }
                    if (copied < size || in.read() >= 0) {
                        throw new IOException(file.path() + " changed while it was being bundled; run again");
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /**
     * Extracts a bundle into {@code root}, a fresh empty folder, and returns what to load: the
     * folder, its one folder when it holds no {@code accounts/}, or its one account file.
     */
    static Path extract(Path bundle, Path root, BundleLimits limits) throws SourceException {
        int entries = 0;
        int files = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(bundle));
                InputStream gzip = GzipCompressorInputStream.builder().setInputStream(raw)
                        .setDecompressConcatenated(true).get();
                Bounded expanded = new Bounded(gzip, limits.maxExpandedBytes());
                TarArchiveInputStream tar = new TarArchiveInputStream(expanded, "UTF-8")) {
            byte[] buffer = new byte[64 * 1024];
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new SourceException(SourceException.Reason.ARCHIVE_LIMIT, "the bundle holds more than "
                            + limits.maxEntries() + " entries, the limit");
                }
                String name = entry.getName();
                String relative = safeName(name);
                refuseSpecial(entry);
                byte type = entry.getLinkFlag();
                if (type == TarConstants.LF_DIR || entry.isDirectory()) {
                    if (relative != null) {
                        makeFolders(root, root.resolve(relative), name);
                    }
                    continue;
                }
                if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM) {
                    throw unsafe(name, "has tar entry type '" + (char) type + "'; a bundle holds only files and "
                            + "folders");
                }
                if (relative == null) {
                    throw unsafe(name, "is a file without a name");
                }
                if (entry.getSize() > limits.maxExpandedBytes()) {
                    throw tooLarge(limits);
                }
                Path target = root.resolve(relative).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw unsafe(name, "leads outside the bundle's folder");
                }
                makeFolders(root, target.getParent(), name);
                copy(tar, target, name, buffer);
                files++;
            }
            expanded.transferTo(OutputStream.nullOutputStream());
        } catch (Bounded.Exceeded e) {
            throw tooLarge(limits);
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof Bounded.Exceeded) {
                    throw tooLarge(limits);
                }
            }
            throw new SourceException(SourceException.Reason.BAD_ARCHIVE, "the bundle is not a gzip-compressed tar, "
                    + "or is cut short: " + message(e), e);
        }
        if (files == 0) {
            throw new SourceException(SourceException.Reason.BAD_ARCHIVE, "the bundle holds no files");
        }
        return directoryIn(root);
    }

    /** The entry's name inside the bundle, cleaned of {@code .} and empty parts; null for the bundle's top. */
    static String safeName(String name) throws SourceException {
        if (name.startsWith("/")) {
            throw unsafe(name, "has an absolute path");
        }
        if (name.indexOf('\0') >= 0) {
            throw unsafe(name, "has a NUL character in its name");
        }
        StringBuilder clean = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw unsafe(name, "leads outside the bundle's folder (\"..\")");
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(part);
        }
        return clean.length() == 0 ? null : clean.toString();
    }

    private static void refuseSpecial(TarArchiveEntry entry) throws SourceException {
        String name = entry.getName();
        if (entry.isSymbolicLink()) {
            throw unsafe(name, "is a symbolic link (to \"" + entry.getLinkName() + "\"); a bundle holds only files "
                    + "and folders");
        }
        if (entry.isLink()) {
            throw unsafe(name, "is a hard link (to \"" + entry.getLinkName() + "\"); a bundle holds only files and "
                    + "folders");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw unsafe(name, "is a device file; a bundle holds only files and folders");
        }
        if (entry.isFIFO()) {
            throw unsafe(name, "is a named pipe; a bundle holds only files and folders");
        }
    }

    private static void makeFolders(Path root, Path folder, String name) throws SourceException {
        if (!folder.normalize().startsWith(root)) {
            throw unsafe(name, "leads outside the bundle's folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw unsafe(name, "needs a folder where the bundle has a file");
        } catch (IOException e) {
            throw cannotWrite(folder, e);
        }
    }

    /**
     * Copies the current entry's bytes to a new file. Reading errors are the archive's
     * (IOException); writing errors are this machine's (UNREADABLE).
     */
    private static void copy(InputStream tar, Path target, String name, byte[] buffer)
            throws IOException, SourceException {
        OutputStream out;
        try {
            out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw unsafe(name, "appears twice in the bundle");
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
        try (out) {
            for (int n; (n = tar.read(buffer)) > 0; ) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw cannotWrite(target, e);
                }
            }
        }
    }

    private static SourceException cannotWrite(Path path, IOException e) {
        return new SourceException(SourceException.Reason.UNREADABLE, "cannot write the extracted bundle at " + path
                + ": " + message(e), e);
    }

    private static Path directoryIn(Path root) throws SourceException {
        if (Files.isDirectory(root.resolve("accounts"))) {
            return root;
        }
        try (Stream<Path> children = Files.list(root)) {
            List<Path> list = children.toList();
            return list.size() == 1 ? list.get(0) : root;
        } catch (IOException e) {
            throw new SourceException(SourceException.Reason.UNREADABLE, "cannot read the extracted bundle: " + e, e);
        }
    }

    /**
     * Loads the directory extracted at {@code directory} under {@code root}, naming files in its
     * problems as {@code shownRoot} followed by their path inside the bundle.
     */
    static Directory load(Path directory, Path root, String shownRoot, String what) throws SourceException {
        try {
            return DirectoryLoader.loadFolderOrDump(directory);
        } catch (DirectoryException e) {
            List<LoadProblem> problems = rename(e.problems(), root, shownRoot);
            throw new SourceException(SourceException.Reason.LOAD_PROBLEMS, what + " did not load: "
                    + FolderSource.count(problems.size()), problems);
        }
    }

    static List<LoadProblem> rename(List<LoadProblem> problems, Path root, String shownRoot) {
        String prefix = root.toString();
        List<LoadProblem> renamed = new ArrayList<>(problems.size());
        for (LoadProblem problem : problems) {
            String file = problem.file();
            if (file.startsWith(prefix)) {
                String inside = file.substring(prefix.length()).replace(root.getFileSystem().getSeparator(), "/");
                file = shownRoot + inside;
            }
            renamed.add(new LoadProblem(file, problem.line(), problem.column(), problem.path(), problem.message()));
        }
        return renamed;
    }

    /** Deletes a folder and everything in it, links not followed; quietly, as a clean-up. */
    static void delete(Path folder) {
        if (folder == null || !Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A clean-up that fails leaves a temporary folder behind and harms nothing else.
        }
    }

    private static SourceException unsafe(String name, String problem) {
        return new SourceException(SourceException.Reason.UNSAFE_ENTRY, "the bundle's entry \"" + name + "\" "
                + problem);
    }

    private static SourceException tooLarge(BundleLimits limits) {
        return new SourceException(SourceException.Reason.ARCHIVE_LIMIT, "the bundle expands to more than "
                + limits.maxExpandedBytes() + " bytes, the limit");
    }

    static String message(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A stream that fails once more than {@code limit} bytes have been read from it. */
    static final class Bounded extends FilterInputStream {

        /** More bytes than allowed. */
        static final class Exceeded extends IOException {
            private static final long serialVersionUID = 1L;

            Exceeded() {
                super("over the limit");
            }
        }

        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) throws Exceeded {
            count += n;
            if (count > limit) {
                throw new Exceeded();
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
