package dev.gavel.sidecar.envoy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where and within which limits the ext_authz service serves. Validated when built: a TCP address
 * must be a loopback one, since the service answers whoever connects.
 *
 * @param socket the Unix socket to serve on, or null for TCP only
 * @param socketMode the socket file's permissions ({@code rw-------} by default: only the
 *     server's user, and so an Envoy running as that user, may connect)
 * @param tcp a loopback address and port to serve on as well, or null; port 0 picks a free one
 * @param maxMessageBytes the largest check request taken, which bounds the request body Envoy may
 *     pass ({@code with_request_body}); larger ones are refused by gRPC with
 *     {@code RESOURCE_EXHAUSTED}, which Envoy treats as a failure of the service
 */
public record ExtAuthzConfig(Path socket, Set<PosixFilePermission> socketMode, InetSocketAddress tcp,
        int maxMessageBytes) {

    public static final Set<PosixFilePermission> DEFAULT_SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    /** gRPC's own default limit: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;

    public ExtAuthzConfig {
        if (socket == null && tcp == null) {
            throw new IllegalArgumentException(
                    "the ext_authz service needs a Unix socket or a loopback TCP address to serve on");
        }
        socketMode = Set.copyOf(socketMode);
        if (tcp != null) {
            if (tcp.isUnresolved()) {
                throw new IllegalArgumentException("the ext_authz service's TCP address \"" + tcp.getHostString()
                        + "\" is unresolved");
            }
            if (!tcp.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("the ext_authz service listens on loopback addresses only, and "
                        + tcp.getAddress().getHostAddress() + " is not one: use 127.0.0.1 or ::1, or the Unix socket");
            }
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("the ext_authz service's largest message must be positive, not "
                    + maxMessageBytes + " bytes");
        }
    }

    /** Serving on a Unix socket, mode 0600, with the default limit. */
    public static ExtAuthzConfig of(Path socket) {
        return new ExtAuthzConfig(socket, DEFAULT_SOCKET_MODE, null, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** Serving on a loopback TCP address only, with the default limit. */
    public static ExtAuthzConfig ofTcp(InetSocketAddress tcp) {
        return new ExtAuthzConfig(null, DEFAULT_SOCKET_MODE, tcp, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** Also serving on a loopback TCP address. */
    public ExtAuthzConfig withTcp(InetSocketAddress address) {
        return new ExtAuthzConfig(socket, socketMode, address, maxMessageBytes);
    }

    /** With the socket file's permissions, as {@code rw-rw----} for an Envoy in the server's group. */
    public ExtAuthzConfig withSocketMode(Set<PosixFilePermission> mode) {
        return new ExtAuthzConfig(socket, mode, tcp, maxMessageBytes);
    }

    public ExtAuthzConfig withMaxMessageBytes(int bytes) {
        return new ExtAuthzConfig(socket, socketMode, tcp, bytes);
    }
}
