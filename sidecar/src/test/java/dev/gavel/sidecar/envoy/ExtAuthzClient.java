package dev.gavel.sidecar.envoy;

import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A gRPC client of the ext_authz service, as Envoy is one: over its Unix socket or loopback TCP. */
final class ExtAuthzClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final EventLoopGroup loops;
    final AuthorizationGrpc.AuthorizationBlockingStub stub;
    final AuthorizationGrpc.AuthorizationFutureStub futures;

    private ExtAuthzClient(ManagedChannel channel, EventLoopGroup loops) {
        this.channel = channel;
        this.loops = loops;
        this.stub = AuthorizationGrpc.newBlockingStub(channel);
        this.futures = AuthorizationGrpc.newFutureStub(channel);
    }

    static ExtAuthzClient unix(Path socket) {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        // gRPC asks every client socket for SO_KEEPALIVE, which a Unix socket does not have, and
        // Netty warns of it on each connection; removing the option leaves nothing to warn of.
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loops).channelType(EpollDomainSocketChannel.class)
                .withOption(ChannelOption.SO_KEEPALIVE, null).usePlaintext().build();
        return new ExtAuthzClient(channel, loops);
    }

    static ExtAuthzClient tcp(int port) {
        return new ExtAuthzClient(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), null);
    }

    CheckResponse check(CheckRequest request) {
        return stub.check(request);
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            if (loops != null) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
