package dev.gavel.sidecar;

import java.io.IOException;
import java.time.Duration;

/**
 * One way into the sidecar's engine, such as the binary protocol on a Unix socket: started once,
 * drained when the sidecar shuts down, then closed. {@link Sidecar} holds the engine and runs
 * every listener through this life cycle.
 */
public interface Listener extends AutoCloseable {

    /** What it listens on, for the line printed when the sidecar is ready. */
    String describe();

    /** Starts taking connections; throws when it cannot, and then holds nothing open. */
    void start() throws IOException;

    /**
     * Stops taking connections and requests, answers what is in flight, and returns when that
     * is done or the timeout has passed.
     */
    void drain(Duration timeout);

    /** Releases everything at once, whatever is in flight. Idempotent. */
    @Override
    void close();
}
