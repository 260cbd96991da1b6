package dev.gavel.sidecar.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The Unix socket's file: making way for it, giving it its mode before anyone can connect, and
 * removing it.
 *
 * <p>A socket file left by a server that died is replaced; one a live server answers on is
 * refused, and so is any file that is not a socket. Java cannot set the umask, so a socket bound
 * in place would be connectable with the umask's mode until a chmod: instead the socket is bound
 * inside a fresh directory beside its path that only this user may enter, given its mode there,
 * and renamed into place (an atomic step, on the same file system).
 */
final class SocketFile {

    /** Linux's limit on a socket path, {@code sun_path}, less its terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private SocketFile() {}

    /** Clears the way for a server at {@code path}: nothing there, or a stale socket, which is deleted. */
    static void makeWay(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isOther()) {
            throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket; "
                    + "it is left alone: remove it or choose another path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException(path + ": a server is already listening on this socket; stop it first, or choose "
                    + "another path");
        } catch (ConnectException stale) {
            // Nobody listens: a socket left by a server that did not shut down.
            Files.deleteIfExists(path);
        }
    }

    /** A directory beside {@code path} that only this user may enter, to bind the socket in. */
    static Path privateDirectory(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Path directory = Files.createTempDirectory(parent, ".gavel-", PosixFilePermissions.asFileAttribute(PRIVATE));
        Path bound = directory.resolve("s");
        if (bound.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            Files.delete(directory);
            throw new IOException(path + ": the socket's path is too long (a Unix socket's path holds at most "
                    + MAX_PATH_BYTES + " bytes, and Gavel binds beside it first, in " + directory + ")");
        }
        return directory;
    }

    /** Gives the bound socket its mode and renames it into place; returns its identity, for {@link #remove}. */
    static Object publish(Path bound, Path path, Set<PosixFilePermission> mode) throws IOException {
        Files.setPosixFilePermissions(bound, mode);
        Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE);
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Removes the socket file, if it is still the one this server published. */
    static void remove(Path path, Object fileKey) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(attributes.fileKey(), fileKey)) {
                Files.delete(path);
            }
        } catch (IOException gone) {
            // Already removed: nothing to do.
        }
    }

    /** Deletes the private directory and anything left in it. */
    static void deleteDirectory(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve("s"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A leftover empty directory is harmless.
        }
    }
}
