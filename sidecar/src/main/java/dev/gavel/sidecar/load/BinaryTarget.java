package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import dev.gavel.sidecar.client.PreparedRequest;
import dev.gavel.sidecar.client.ServerInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The binary protocol on a Unix socket, through {@link GavelClient}; the sample comes from the server. */
final class BinaryTarget implements LoadTarget {

    private final Path socket;
    private final ServerInfo server;

    BinaryTarget(Path socket) throws IOException {
        this.socket = socket;
        try (GavelClient control = GavelClient.connect(socket)) {
            this.server = control.server();
        }
    }

    @Override
    public String describe() {
        return "binary protocol on " + socket + " (" + server.serverVersion() + ", protocol " + server.protocolVersion()
                + "), snapshot " + server.snapshotVersion();
    }

    @Override
    public int maxBatch() {
        return server.maxBatch();
    }

    /**
     * Samples on a connection of its own, closed before the run's connections open: the server
     * gives each new connection to its least busy I/O thread, counting connections.
     */
    @Override
    public List<Check> sample(int count, long seed) throws IOException {
        List<Check> checks = new ArrayList<>(count);
        try (GavelClient control = GavelClient.connect(socket)) {
            for (int part = 0; checks.size() < count; part++) {
                int size = Math.min(maxBatch(), count - checks.size());
                List<Check> drawn = control.sample(size, seed + part);
                if (drawn.isEmpty()) {
                    break;
                }
                checks.addAll(drawn);
            }
        }
        return checks;
    }

    @Override
    public LoadConnection<PreparedRequest> connect() throws IOException {
        GavelClient client = GavelClient.connect(socket);
        return new LoadConnection<>() {
            @Override
            public PreparedRequest prepare(List<Check> checks) throws IOException {
                return client.prepare(checks, false);
            }

            @Override
            public List<CheckResult> send(PreparedRequest request) throws IOException {
                return client.send(request);
            }

            @Override
            public List<CompletableFuture<List<CheckResult>>> sendAsync(List<PreparedRequest> requests) {
                return client.sendAsync(requests);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Override
    public void close() {
        // Every connection is the run's, and closed by it.
    }
}
