package dev.gavel.sidecar.envoy;

import dev.gavel.gateway.Gateway;
import dev.gavel.sidecar.Listener;
import dev.gavel.sidecar.UnixSockets;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's external authorization service ({@code envoy.service.auth.v3.Authorization}, gRPC) as
 * one of {@code gavel serve}'s listeners: Envoy's HTTP filter {@code envoy.filters.http.ext_authz}
 * asks it about each request, and a {@link Gateway} decides.
 *
 * <pre>{@code
 * ExtAuthzServer server = new ExtAuthzServer(ExtAuthzConfig.of(socket), gateway);
 * server.start();                        // binds; refuses a socket a live server answers on
 * ...
 * server.drain(Duration.ofSeconds(5));   // no new calls; calls in flight are answered
 * server.close();                        // removes the socket file
 * }</pre>
 *
 * <p>On a Unix socket, the socket file has its mode before any client can reach it, a stale one is
 * replaced and a live one refused ({@link UnixSockets}); Unix sockets need Linux's epoll, which
 * grpc-netty-shaded carries. Calls are decided on the event loop threads that read them: a
 * decision is a few microseconds of work in memory and never waits, so a hand-off to another pool
 * would cost more than it spares.
 */
public final class ExtAuthzServer implements Listener {

    private static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final ExtAuthzConfig config;
    private final AuthorizationService service;
    private final List<Server> servers = new ArrayList<>();
    private EventLoopGroup unixLoops;
    private Server tcpServer;
    private Object socketKey;
    private boolean started;

    public ExtAuthzServer(ExtAuthzConfig config, Gateway gateway) {
        this.config = config;
        this.service = new AuthorizationService(gateway);
    }

    @Override
    public String describe() {
        StringBuilder text = new StringBuilder("Envoy ext_authz (gRPC) on ");
        if (config.socket() != null) {
            text.append(config.socket()).append(" (mode ").append(PosixFilePermissions.toString(config.socketMode()))
                    .append(')');
        }
        if (config.tcp() != null) {
            if (config.socket() != null) {
                text.append(" and ");
            }
            String host = config.tcp().getAddress().getHostAddress();
            text.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(tcpPort());
        }
        return text.toString();
    }

    /**
     * Binds the Unix socket and the TCP address the configuration names, and serves. A socket a
     * live server answers on, or a file that is not a socket, is refused; on any failure nothing
     * is left open.
     */
    @Override
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("the ext_authz service is already started");
        }
        started = true;
        try {
            if (config.socket() != null) {
                startUnix();
            }
            if (config.tcp() != null) {
                tcpServer = builder(NettyServerBuilder.forAddress(config.tcp())).build().start();
                servers.add(tcpServer);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startUnix() throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("cannot serve ext_authz on " + config.socket() + ": Unix sockets need Linux's "
                    + "epoll, which is unavailable here (" + Epoll.unavailabilityCause() + "); serve on loopback TCP");
        }
        Path target = config.socket().toAbsolutePath();
        UnixSockets.refuseIfTaken(target);
        Path directory = UnixSockets.privateDirectory(target);
        try {
            Path staged = directory.resolve(UnixSockets.STAGED_NAME);
            unixLoops = new MultiThreadIoEventLoopGroup(THREADS, new DefaultThreadFactory("gavel-ext-authz", true),
                    EpollIoHandler.newFactory());
            Server server = builder(NettyServerBuilder.forAddress(new DomainSocketAddress(staged.toString())))
                    .channelType(EpollServerDomainSocketChannel.class)
                    // gRPC asks each accepted socket for SO_KEEPALIVE, which a Unix socket does not
                    // have, and Netty warns of it on every connection; removing the option is quiet.
                    .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                    .bossEventLoopGroup(unixLoops).workerEventLoopGroup(unixLoops).build();
            servers.add(server);
            try {
                server.start();
            } catch (IOException e) {
                throw new IOException("cannot bind " + target + ": " + e.getMessage(), e);
            }
            socketKey = UnixSockets.publish(staged, target, config.socketMode());
        } finally {
            UnixSockets.deletePrivateDirectory(directory);
        }
    }

    private NettyServerBuilder builder(NettyServerBuilder builder) {
        return builder.addService(service).directExecutor().maxInboundMessageSize(config.maxMessageBytes());
    }

    /** The Unix socket served on, or null. */
    public Path socket() {
        return config.socket();
    }

    /** The TCP port served on (the one picked, for port 0), or -1 when not serving on TCP. */
    public synchronized int tcpPort() {
        return tcpServer == null ? -1 : tcpServer.getPort();
    }

    /**
     * Stops taking connections and calls, and waits until the calls in flight are answered or
     * the timeout has passed.
     */
    @Override
    public void drain(Duration timeout) {
        List<Server> draining;
        synchronized (this) {
            draining = List.copyOf(servers);
        }
        draining.forEach(Server::shutdown);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Server server : draining) {
                server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once, cancelling calls in flight, and removes the socket file. Idempotent. */
    @Override
    public synchronized void close() {
        for (Server server : servers) {
            server.shutdownNow();
        }
        try {
            for (Server server : servers) {
                server.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (unixLoops != null) {
                unixLoops.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .await(CLOSE_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        servers.clear();
        unixLoops = null;
        tcpServer = null;
        if (socketKey != null) {
            UnixSockets.remove(config.socket(), socketKey);
            socketKey = null;
        }
    }
}
