package dev.gavel.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Socket files: their mode, stale ones replaced, live ones and other files refused, deleted on close. */
class UnixSocketsTest {

    @TempDir
    Path folder;

    @Test
    void theSocketHasItsModeAndIsDeletedOnClose() throws IOException {
        Path path = folder.resolve("s");
        UnixSockets.Bound bound = UnixSockets.bind(path, UnixSockets.mode("0600"), 4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            assertThat(client.isConnected()).isTrue();
        }
        assertThat(folder.toFile().list()).containsExactly("s");
        bound.closeAndDelete();
        assertThat(path).doesNotExist();
        UnixSockets.Bound group = UnixSockets.bind(path, UnixSockets.mode("660"), 4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw----");
        group.closeAndDelete();
    }

    @Test
    void aStaleSocketIsReplacedAndALiveOneRefused() throws IOException {
        Path path = folder.resolve("s");
        ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        stale.bind(UnixDomainSocketAddress.of(path));
        UnixSockets.Bound live = null;
        try {
            assertThatThrownBy(() -> UnixSockets.bind(path, UnixSockets.mode("0600"), 4))
                    .hasMessageContaining("another server is listening on");
        } finally {
            stale.close();
        }
        assertThat(path).exists();
        live = UnixSockets.bind(path, UnixSockets.mode("0600"), 4);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            assertThat(client.isConnected()).isTrue();
        } finally {
            live.closeAndDelete();
        }
    }

    @Test
    void anotherKindOfFileIsRefused() throws IOException {
        Path path = Files.writeString(folder.resolve("s"), "not a socket");
        assertThatThrownBy(() -> UnixSockets.bind(path, UnixSockets.mode("0600"), 4))
                .hasMessageContaining("is not a socket");
        assertThat(Files.readString(path)).isEqualTo("not a socket");
    }

    @Test
    void modesAreOctal() {
        assertThat(PosixFilePermissions.toString(UnixSockets.mode("0640"))).isEqualTo("rw-r-----");
        assertThatThrownBy(() -> UnixSockets.mode("rw")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnixSockets.mode("0999")).isInstanceOf(IllegalArgumentException.class);
    }
}
