package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API on a Unix socket, through {@link HttpChannel}: the server's versions and limits
 * come from {@code GET /v1/status}, the sample from {@code GET /v1/sample}.
 */
final class HttpTarget implements LoadTarget {

    private final Path socket;
    private final HttpJson.ServerStatus server;

    HttpTarget(Path socket) throws IOException {
        this.socket = socket;
        try (HttpChannel control = HttpChannel.open(socket)) {
            HttpChannel.Response status;
            try {
                status = control.exchange(HttpChannel.get("/v1/status"));
            } catch (IOException e) {
                throw new IOException(socket + " does not answer HTTP (" + e.getMessage() + "); is it the binary "
                        + "protocol's socket? Then use --protocol binary", e);
            }
            this.server = HttpJson.status(ok("/v1/status", status));
        }
    }

    @Override
    public String describe() {
        return "HTTP API on " + socket + " (" + server.version() + "), snapshot " + server.snapshotVersion();
    }

    @Override
    public int maxBatch() {
        return server.maxBatch();
    }

    /** Samples on a connection of its own, in parts of at most what the server draws at once. */
    @Override
    public List<Check> sample(int count, long seed) throws IOException {
        List<Check> checks = new ArrayList<>(count);
        try (HttpChannel control = HttpChannel.open(socket)) {
            for (int part = 0; checks.size() < count; part++) {
                int size = Math.min(server.maxSample(), count - checks.size());
                String target = "/v1/sample?count=" + size + "&seed=" + (seed + part);
                List<Check> drawn = HttpJson.sample(ok(target, control.exchange(HttpChannel.get(target))));
                if (drawn.isEmpty()) {
                    break;
                }
                checks.addAll(drawn);
            }
        }
        return checks;
    }

    private static byte[] ok(String target, HttpChannel.Response response) throws IOException {
        if (response.status() != 200) {
            throw new IOException("GET " + target + " answered HTTP " + response.status() + ": "
                    + HttpJson.error(response.body()));
        }
        return response.body();
    }

    @Override
    public LoadConnection<HttpConnection.Prepared> connect() throws IOException {
        return new HttpConnection(socket, HttpCodec.API);
    }

    @Override
    public void close() {
        // Every connection is the run's, and closed by it.
    }
}
