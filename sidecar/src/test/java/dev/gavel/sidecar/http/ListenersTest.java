package dev.gavel.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket file's mode and life, and the loopback TCP listener. */
class ListenersTest {

    static Engine engine;

    @TempDir
    Path folder;

    @BeforeAll
    static void open() throws Exception {
        engine = Engine.open(TestServer.DEMO);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static HttpApi api(HttpConfig config) {
        return new HttpApi(config, engine, engine::reload, () -> Status.ready("demo", Instant.now()), new Metrics(),
                DecisionLog.off());
    }

    private static int health(Path socket) {
        try (ApiClient client = ApiClient.unix(socket)) {
            return client.get("/health").status();
        }
    }

    @Test
    void theSocketIsTheServersUsersOnlyAndGoesWhenTheServerStops() throws Exception {
        Path socket = folder.resolve("gavel.sock");
        HttpApi api = api(HttpConfig.of(socket));
        api.start();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(health(socket)).isEqualTo(200);
        } finally {
            api.stop();
        }
        assertThat(socket).doesNotExist();
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).as("no private binding folder is left").isEmpty();
        }
    }

    @Test
    void theSocketModeIsConfigurable() throws Exception {
        Path socket = folder.resolve("group.sock");
        HttpApi api = api(HttpConfig.of(socket).withSocketMode(PosixFilePermissions.fromString("rw-rw----")));
        api.start();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        } finally {
            api.stop();
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path socket = folder.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        HttpApi api = api(HttpConfig.of(socket));
        api.start();
        try {
            assertThat(health(socket)).isEqualTo(200);
        } finally {
            api.stop();
        }
    }

    @Test
    void aLiveSocketIsRefusedAndLeftServing() throws Exception {
        Path socket = folder.resolve("live.sock");
        HttpApi first = api(HttpConfig.of(socket));
        first.start();
        try {
            HttpApi second = api(HttpConfig.of(socket));
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("another server is listening on " + socket.toAbsolutePath());
            assertThat(health(socket)).isEqualTo(200);
        } finally {
            first.stop();
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws Exception {
        Path file = folder.resolve("notes.txt");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> api(HttpConfig.of(file)).start()).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a socket");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void loopbackTcpServesTheSameApi() throws Exception {
        HttpApi api = api(HttpConfig.of(folder.resolve("tcp.sock"))
                .withTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        api.start();
        try {
            assertThat(api.tcpPort()).isPositive();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.tcpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> check = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.tcpPort() + "/v1/authorize"))
                    .POST(HttpRequest.BodyPublishers.ofString(HttpApiTest.check(HttpApiTest.ALICE, "s3:GetObject",
                            HttpApiTest.DATA_OBJECT, HttpApiTest.TLS_EU))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(check.body()).startsWith("{\"decision\":\"allowed\",");
        } finally {
            api.stop();
        }
    }

    @Test
    void onlyLoopbackAddressesAreAccepted() {
        assertThatThrownBy(() -> HttpConfig.ofTcp(new InetSocketAddress("0.0.0.0", 8181)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> HttpConfig.parseTcp("10.1.2.3:8181")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> HttpConfig.parseTcp("8181")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HttpConfig.parseTcp("127.0.0.1:http")).hasMessageContaining("port");
        assertThat(HttpConfig.parseTcp("127.0.0.1:8181").getPort()).isEqualTo(8181);
        assertThat(HttpConfig.parseTcp("[::1]:8181").getAddress().isLoopbackAddress()).isTrue();
        assertThat(HttpConfig.parseTcp("localhost:0").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> new HttpConfig(null, HttpConfig.DEFAULT_SOCKET_MODE, null, 1, 1, 1, null))
                .hasMessageContaining("Unix socket or a loopback TCP address");
    }
}
