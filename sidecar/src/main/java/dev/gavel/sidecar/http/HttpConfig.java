package dev.gavel.sidecar.http;

import dev.gavel.policy.ServiceCatalog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where and within which limits the HTTP API serves. Validated when built: a TCP address must be
 * a loopback one (the API has no authentication of its own, so it never listens beyond the host).
 *
 * @param socket the Unix socket to serve on, or null for TCP only
 * @param socketMode the socket file's permissions ({@code rw-------} by default: only the
 *     server's user may connect)
 * @param tcp a loopback address and port to serve on as well, or null; port 0 picks a free one
 * @param maxBodyBytes the largest body of {@code /v1/authorize} and {@code /v1/authorize/batch}
 * @param maxDocumentBytes the largest body of {@code /v1/simulate} and {@code /v1/validate}
 * @param maxBatchSize the most requests one batch may hold
 * @param catalog the service catalog for {@code /v1/validate}'s unknown-action warnings, or null
 */
public record HttpConfig(Path socket, Set<PosixFilePermission> socketMode, InetSocketAddress tcp, int maxBodyBytes,
        int maxDocumentBytes, int maxBatchSize, ServiceCatalog catalog) {

    public static final Set<PosixFilePermission> DEFAULT_SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;

    public HttpConfig {
        if (socket == null && tcp == null) {
            throw new IllegalArgumentException("the HTTP API needs a Unix socket or a loopback TCP address to serve on");
        }
        socketMode = Set.copyOf(socketMode);
        if (tcp != null) {
            if (tcp.isUnresolved()) {
                throw new IllegalArgumentException("the TCP address \"" + tcp.getHostString() + "\" is unresolved");
            }
            if (!tcp.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("the HTTP API listens on loopback addresses only, and "
                        + tcp.getAddress().getHostAddress() + " is not one: use 127.0.0.1 or ::1, or the Unix socket");
            }
        }
        if (maxBodyBytes < 1 || maxDocumentBytes < 1 || maxBatchSize < 1) {
            throw new IllegalArgumentException("the HTTP API's limits must be positive");
        }
    }

    /** Serving on a Unix socket, mode 0600, with the default limits and no service catalog. */
    public static HttpConfig of(Path socket) {
        return new HttpConfig(socket, DEFAULT_SOCKET_MODE, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOCUMENT_BYTES,
                DEFAULT_MAX_BATCH_SIZE, null);
    }

    /** Serving on a loopback TCP address only, with the default limits and no service catalog. */
    public static HttpConfig ofTcp(InetSocketAddress tcp) {
        return new HttpConfig(null, DEFAULT_SOCKET_MODE, tcp, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOCUMENT_BYTES,
                DEFAULT_MAX_BATCH_SIZE, null);
    }

    /** Also serving on a loopback TCP address. */
    public HttpConfig withTcp(InetSocketAddress address) {
        return new HttpConfig(socket, socketMode, address, maxBodyBytes, maxDocumentBytes, maxBatchSize, catalog);
    }

    /** With the socket file's permissions, as {@code rw-rw----}. */
    public HttpConfig withSocketMode(Set<PosixFilePermission> mode) {
        return new HttpConfig(socket, mode, tcp, maxBodyBytes, maxDocumentBytes, maxBatchSize, catalog);
    }

    public HttpConfig withLimits(int newMaxBodyBytes, int newMaxDocumentBytes, int newMaxBatchSize) {
        return new HttpConfig(socket, socketMode, tcp, newMaxBodyBytes, newMaxDocumentBytes, newMaxBatchSize, catalog);
    }

    public HttpConfig withCatalog(ServiceCatalog newCatalog) {
        return new HttpConfig(socket, socketMode, tcp, maxBodyBytes, maxDocumentBytes, maxBatchSize, newCatalog);
    }

    /**
     * Reads {@code HOST:PORT} ({@code 127.0.0.1:8181}, {@code [::1]:8181}, {@code localhost:8181}),
     * for a command-line option. The host must resolve to a loopback address.
     */
    public static InetSocketAddress parseTcp(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("\"" + hostPort + "\" is not HOST:PORT, such as 127.0.0.1:8181");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + hostPort + "\" has no port number, as in 127.0.0.1:8181", e);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve \"" + host + "\"", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the HTTP API listens on loopback addresses only, and \"" + host
                    + "\" is " + address.getHostAddress());
        }
        return new InetSocketAddress(address, port);
    }
}
