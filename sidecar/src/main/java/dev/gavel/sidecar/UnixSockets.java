package dev.gavel.sidecar;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Binds a Unix domain server socket at a path with a given file mode, and never with another; the
 * binary listener binds with {@link #bind}, and Jetty's connector, which binds itself, through the
 * same steps ({@link #refuseIfTaken}, {@link #privateDirectory}, {@link #publish}, {@link #remove}).
 *
 * <p>A socket file is created by {@code bind} with the process's umask, and Java offers no way
 * to bind with a mode. So the socket is bound inside a fresh directory that only this user can
 * enter (mode 0700, in the target's directory, so on the same file system), given its mode there,
 * and then renamed to its path, which {@code rename(2)} does atomically, replacing a stale socket
 * file. Nobody else can reach the socket before it has its final mode.
 *
 * <p>A socket file already at the path is stale when connecting to it is refused, and then it is
 * replaced; when something answers, another server is live there and binding is refused. Any
 * other kind of file at the path is refused too.
 */
public final class UnixSockets {

    private static final long SOCKET_TYPE_BITS = 0170000;
    private static final long SOCKET_TYPE = 0140000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /** Linux's limit on a socket's path ({@code sun_path}), less its terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    /** The socket's name inside its {@link #privateDirectory}. */
    public static final String STAGED_NAME = "s";

    /** A bound server socket, and the identity of its file, to delete only that file later. */
    public record Bound(ServerSocketChannel channel, Path path, Object fileKey) {

        /** Closes the socket and deletes its file, unless another server's socket has replaced it. */
        public void closeAndDelete() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a listening socket fails only if it is already closed.
            }
            remove(path, fileKey);
        }
    }

    private UnixSockets() {}

    /** Parses a mode such as {@code 0600} or {@code 660}: octal, read and write bits only. */
    public static Set<PosixFilePermission> mode(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("'" + octal + "' is not an octal file mode such as 0600");
        }
        int bits = Integer.parseInt(octal, 8);
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int triple = bits >> shift & 7;
            text.append((triple & 4) != 0 ? 'r' : '-').append((triple & 2) != 0 ? 'w' : '-')
                    .append((triple & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    /** Binds a listening socket at {@code path} whose file has exactly {@code mode}. */
    public static Bound bind(Path path, Set<PosixFilePermission> mode, int backlog) throws IOException {
        Path target = path.toAbsolutePath();
        refuseIfTaken(target);
        Path privateDir = privateDirectory(target);
        Path staging = privateDir.resolve(STAGED_NAME);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(staging), backlog);
            return new Bound(channel, target, publish(staging, target, mode));
        } catch (SocketException e) {
            channel.close();
            throw new IOException("cannot bind " + target + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            deletePrivateDirectory(privateDir);
        }
    }

    /**
     * Refuses a path that holds a live socket or any file that is not a socket; a stale socket is
     * left for {@link #publish} to replace.
     */
    public static void refuseIfTaken(Path target) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!isSocket(target, attributes)) {
            throw new IOException(target + " exists and is not a socket; remove it or choose another path");
        }
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(target));
        } catch (ConnectException stale) {
            return; // Nobody listens: the file is left over from a server that did not stop cleanly.
        }
        probe.close();
        throw new IOException("another server is listening on " + target + "; stop it or choose another path");
    }

    /**
     * A fresh directory beside {@code target} (so on its file system) that only this user may
     * enter, to bind the socket in as {@link #STAGED_NAME}; refused when that path would be too
     * long for a socket.
     */
    public static Path privateDirectory(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path directory = parent.resolve(".gavel-" + Long.toString(RANDOM.nextLong() >>> 1, 36));
        int length = directory.resolve(STAGED_NAME).toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IOException("cannot bind " + target + ": the path is too long (a Unix socket's path holds at "
                    + "most " + MAX_PATH_BYTES + " bytes, and the socket is first bound beside it, at " + length
                    + " bytes)");
        }
        return Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
    }

    /**
     * Gives the socket bound at {@code staged} its mode and renames it to {@code target}, replacing
     * a stale socket; returns the file's identity, for {@link #remove}.
     */
    public static Object publish(Path staged, Path target, Set<PosixFilePermission> mode) throws IOException {
        Files.setPosixFilePermissions(staged, mode);
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move the socket into " + target.getParent() + " atomically", e);
        }
        return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Deletes the socket file, unless another server's socket has replaced it since it was published. */
    public static void remove(Path target, Object fileKey) {
        try {
            BasicFileAttributes now = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (fileKey == null || fileKey.equals(now.fileKey())) {
                Files.deleteIfExists(target);
            }
        } catch (IOException ignored) {
            // Already gone, or not ours to delete.
        }
    }

    /** Deletes a directory from {@link #privateDirectory} and the socket left in it, if any. */
    public static void deletePrivateDirectory(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve(STAGED_NAME));
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A leftover empty directory is harmless.
        }
    }

    private static boolean isSocket(Path path, BasicFileAttributes attributes) throws IOException {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (((Integer) mode) & SOCKET_TYPE_BITS) == SOCKET_TYPE;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return attributes.isOther();
        }
    }
}
