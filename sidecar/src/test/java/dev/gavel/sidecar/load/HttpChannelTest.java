package dev.gavel.sidecar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpChannel}'s framing against a scripted server that writes its answers in pieces. */
@Timeout(30)
class HttpChannelTest {

    @TempDir
    Path folder;

    /** Accepts one connection and writes these bytes to it, {@code piece} bytes at a time, then closes it. */
    private static CompletableFuture<String> serve(ServerSocketChannel server, String answer, int piece) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel client = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(4096);
                client.read(request);
                byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
                for (int at = 0; at < bytes.length; at += piece) {
                    client.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
                    if (at < 100 * piece) {
                        // Pauses, so that the heads and the first bodies arrive in several reads.
                        Thread.sleep(1);
                    }
                }
                return new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    @Test
    void answersSplitAnywhereAndPipelinedTogetherAreReadInOrder() throws Exception {
        Path socket = folder.resolve("s");
        String large = "x".repeat(200_000);
        String answers = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nContent-Type: application/json\r\n\r\n{}"
                + "HTTP/1.1 422 Unprocessable Entity\r\nCONTENT-LENGTH:   5\r\n\r\nhello"
                + "HTTP/1.1 200 OK\r\nContent-Length: " + large.length() + "\r\n\r\n" + large
                + "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<String> served = serve(server, answers, 7);
            try (HttpChannel channel = HttpChannel.open(socket)) {
                channel.write(HttpChannel.post("/v1/authorize", "{}".getBytes(StandardCharsets.UTF_8)));
                assertThat(channel.read()).satisfies(answer -> {
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.text()).isEqualTo("{}");
                });
                HttpChannel.Response refused = channel.read();
                assertThat(refused.status()).isEqualTo(422);
                assertThat(refused.text()).isEqualTo("hello");
                assertThat(channel.read().text()).isEqualTo(large);
                HttpChannel.Response empty = channel.read();
                assertThat(empty.status()).isEqualTo(204);
                assertThat(empty.body()).isEmpty();
                assertThatThrownBy(channel::read).isInstanceOf(EOFException.class)
                        .hasMessage("the server closed the connection");
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).startsWith("POST /v1/authorize HTTP/1.1\r\n")
                    .contains("\r\nContent-Length: 2\r\n").endsWith("\r\n\r\n{}");
        }
    }

    @Test
    void answersThisClientCannotFrameAreRefused() throws Exception {
        Path socket = folder.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            serve(server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 1);
            try (HttpChannel channel = HttpChannel.open(socket)) {
                assertThatThrownBy(() -> channel.exchange(HttpChannel.get("/"))).hasMessageContaining("Transfer-Encoding");
            }
            serve(server, "\u0000\u0000\u0001\u0002binary\r\n\r\n", 100);
            try (HttpChannel channel = HttpChannel.open(socket)) {
                assertThatThrownBy(() -> channel.exchange(HttpChannel.get("/")))
                        .hasMessage("the server's answer is not HTTP/1.x: it begins \"\\x00\\x00\\x01\\x02binary\\x0d\\x0a\\x0d\\x0a\"");
            }
        }
    }

    @Test
    void noServerIsAClearError() {
        Path socket = folder.resolve("nothing");
        assertThatThrownBy(() -> HttpChannel.open(socket)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot connect to " + socket + ": ");
    }
}
