package dev.gavel.sidecar.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to something that is not the binary protocol fails with a message that says so, not a hang. */
@Timeout(30)
class GavelClientConnectTest {

    @TempDir
    Path folder;

    @Test
    void aSocketThatNeverSendsAWelcomeIsRefusedNamingTheLikelyMistake() throws Exception {
        Path socket = folder.resolve("http.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> GavelClient.connect(socket, Duration.ofMillis(200)))
                    .isInstanceOf(GavelClientException.class)
                    .hasMessage("no Welcome from " + socket + " within 200 ms: is it the binary protocol's socket "
                            + "(gavel serve --socket), and not the HTTP API's?");
            try (SocketChannel accepted = silent.accept()) {
                // The client has closed its end: the server reads the end of the stream.
                assertThat(accepted.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
        }
    }
}
