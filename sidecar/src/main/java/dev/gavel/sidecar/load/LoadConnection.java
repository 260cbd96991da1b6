package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One connection of a load run. Requests are prepared once (encoded in the protocol's own way)
 * and sent many times, so that the run measures the server rather than the load generator.
 *
 * @param <R> a prepared request of the protocol
 */
interface LoadConnection<R> extends AutoCloseable {

    /** Encodes checks as one request. */
    R prepare(List<Check> checks) throws IOException;

    /** Sends a request and waits for its answers. */
    List<CheckResult> send(R request) throws IOException;

    /** Sends requests without waiting, together where the protocol can. */
    List<CompletableFuture<List<CheckResult>>> sendAsync(List<R> requests);

    @Override
    void close();
}
