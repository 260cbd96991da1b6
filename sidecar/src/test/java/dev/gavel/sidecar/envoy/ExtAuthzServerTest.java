package dev.gavel.sidecar.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.gavel.Engine;
import dev.gavel.gateway.Authentication;
import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayRequest;
import dev.gavel.gateway.MappedRequest;
import dev.gavel.gateway.RequestMapper;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's sockets, limits and life cycle. */
class ExtAuthzServerTest {

    private static final String REPORT = "/reports/alice/q3.csv";

    @TempDir
    Path folder;

    private Engine engine;

    @BeforeEach
    void open() throws Exception {
        engine = TestGateways.engine();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private ExtAuthzServer server(ExtAuthzConfig config) {
        return new ExtAuthzServer(config, TestGateways.gateway(engine));
    }

    private static boolean answers(Path socket) {
        try (ExtAuthzClient client = ExtAuthzClient.unix(socket)) {
            return client.check(EnvoyChecks.get(REPORT).build()).getStatus().getCode() == Code.OK_VALUE;
        }
    }

    @Test
    void theSocketIsTheServersUsersOnlyAndGoesWhenTheServerCloses() throws Exception {
        Path socket = folder.resolve("ext-authz.sock");
        ExtAuthzServer server = server(ExtAuthzConfig.of(socket));
        server.start();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(answers(socket)).isTrue();
            assertThat(server.describe()).isEqualTo("Envoy ext_authz (gRPC) on " + socket + " (mode rw-------)");
        } finally {
            server.close();
        }
        assertThat(socket).doesNotExist();
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).as("no private binding folder is left").isEmpty();
        }
    }

    @Test
    void theSocketModeIsConfigurable() throws Exception {
        Path socket = folder.resolve("group.sock");
        ExtAuthzServer server = server(ExtAuthzConfig.of(socket)
                .withSocketMode(PosixFilePermissions.fromString("rw-rw----")));
        server.start();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        } finally {
            server.close();
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path socket = folder.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        ExtAuthzServer server = server(ExtAuthzConfig.of(socket));
        server.start();
        try {
            assertThat(answers(socket)).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aLiveSocketIsRefusedAndLeftServing() throws Exception {
        Path socket = folder.resolve("live.sock");
        ExtAuthzServer first = server(ExtAuthzConfig.of(socket));
        first.start();
        try {
            ExtAuthzServer second = server(ExtAuthzConfig.of(socket)
                    .withTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("another server is listening on " + socket.toAbsolutePath());
            assertThat(second.tcpPort()).as("nothing of the failed start is left open").isEqualTo(-1);
            assertThat(answers(socket)).isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws Exception {
        Path file = folder.resolve("notes.txt");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> server(ExtAuthzConfig.of(file)).start()).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a socket");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void onlyLoopbackAddressesAreAccepted() throws Exception {
        InetSocketAddress everywhere = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 9191);
        assertThatThrownBy(() -> ExtAuthzConfig.ofTcp(everywhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the ext_authz service listens on loopback addresses only, and 0.0.0.0 is not one: use "
                        + "127.0.0.1 or ::1, or the Unix socket");
        assertThatThrownBy(() -> new ExtAuthzConfig(null, ExtAuthzConfig.DEFAULT_SOCKET_MODE, null, 1))
                .hasMessageContaining("needs a Unix socket or a loopback TCP address");
        assertThatThrownBy(() -> ExtAuthzConfig.of(folder.resolve("s")).withMaxMessageBytes(0))
                .hasMessageContaining("largest message must be positive");
    }

    @Test
    void loopbackTcpAloneServes() throws Exception {
        ExtAuthzServer server = server(ExtAuthzConfig.ofTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        server.start();
        try (ExtAuthzClient client = ExtAuthzClient.tcp(server.tcpPort())) {
            assertThat(server.describe()).isEqualTo("Envoy ext_authz (gRPC) on 127.0.0.1:" + server.tcpPort());
            assertThat(client.check(EnvoyChecks.get(REPORT).build()).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        } finally {
            server.close();
        }
    }

    @Test
    void aCheckRequestOverTheMessageLimitIsRefusedByGrpc() throws Exception {
        Path socket = folder.resolve("small.sock");
        ExtAuthzServer server = server(ExtAuthzConfig.of(socket).withMaxMessageBytes(2_048));
        server.start();
        try (ExtAuthzClient client = ExtAuthzClient.unix(socket)) {
            assertThat(client.check(EnvoyChecks.get(REPORT).build()).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
            assertThatThrownBy(() -> client.check(EnvoyChecks.put("/reports/alice/big.csv", "x".repeat(4_096)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        } finally {
            server.close();
        }
    }

    @Test
    void drainingAnswersTheCallsInFlight() throws Exception {
        Path socket = folder.resolve("drain.sock");
        HeldMapper held = new HeldMapper();
        ExtAuthzServer server = new ExtAuthzServer(ExtAuthzConfig.of(socket), TestGateways.gateway(engine, held));
        server.start();
        try (ExtAuthzClient client = ExtAuthzClient.unix(socket)) {
            Future<CheckResponse> inFlight = client.futures.check(EnvoyChecks.get(REPORT).build());
            assertThat(held.entered.await(30, TimeUnit.SECONDS)).as("the call reached the mapper").isTrue();

            server.drain(Duration.ZERO); // stops taking calls, returns at once: the call is still held
            held.release.countDown();
            CheckResponse answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
            assertThat(answer.getOkResponse().getHeaders(0).getHeader().getValue()).isEqualTo(TestGateways.ALICE);
        } finally {
            server.close();
        }
        assertThat(socket).doesNotExist();
    }

    /** Maps as {@link TestGateways.ObjectMapper} does, once the test lets it: a call held in flight. */
    private static final class HeldMapper implements RequestMapper {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final RequestMapper objects = new TestGateways.ObjectMapper();

        @Override
        public String signingName() {
            return objects.signingName();
        }

        @Override
        public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new GatewayException("SlowDown", 503, "the test did not release the call");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException("SlowDown", 503, "interrupted");
            }
            return objects.map(request, authentication);
        }
    }
}
