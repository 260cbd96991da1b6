package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import java.io.IOException;
import java.util.List;

/**
 * What {@code gavel load} drives: a server reached over one protocol. Each protocol gives its
 * own; the run itself (connections, pipelining, open or closed loop, latencies) is shared.
 */
interface LoadTarget extends AutoCloseable {

    /** The server as the report names it: the protocol, where, versions and snapshot. */
    String describe();

    /** The most checks the server takes in one request. */
    int maxBatch();

    /** Realistic requests from the served directory, the same for the same seed. */
    List<Check> sample(int count, long seed) throws IOException;

    /** A new connection. */
    LoadConnection<?> connect() throws IOException;

    @Override
    void close();
}
