package dev.gavel.sidecar.binary;

import dev.gavel.Engine;
import dev.gavel.sidecar.UnixSockets;
import dev.gavel.sidecar.client.GavelClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A binary listener on a socket in a test's temporary folder. */
public final class TestServer implements AutoCloseable {

    public final Engine engine;
    public final BinaryListener listener;
    public final Path socket;

    private TestServer(Engine engine, BinaryListener listener, Path socket) {
        this.engine = engine;
        this.listener = listener;
        this.socket = socket;
    }

    public static TestServer start(Engine engine, Path folder, BinaryLimits limits) throws IOException {
        Path socket = folder.resolve("g.sock");
        BinaryListener listener = new BinaryListener(engine, socket, UnixSockets.mode("0600"), limits, "gavel test");
        listener.start();
        return new TestServer(engine, listener, socket);
    }

    public static TestServer start(Engine engine, Path folder) throws IOException {
        return start(engine, folder, BinaryLimits.defaults().withIoThreads(2));
    }

    public GavelClient client() throws IOException {
        return GavelClient.connect(socket);
    }

    public ServerStats stats() {
        return listener.stats();
    }

    @Override
    public void close() {
        listener.drain(Duration.ofSeconds(1));
        listener.close();
    }
}
