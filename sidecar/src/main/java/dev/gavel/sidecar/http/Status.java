package dev.gavel.sidecar.http;

import dev.gavel.sidecar.source.SourceStatus;
import java.time.Instant;

/**
 * What the server that holds the API says about itself: whether a snapshot is loaded (checks
 * are refused with {@code 503 NOT_READY} and {@code /health/ready} answers 503 until it is),
 * where the directory comes from, and when the server started.
 *
 * @param source the directory's folder, file or bundle, as shown to operators; null if none
 * @param sourceStatus the content version served and how the source's latest checks went, for a
 *     fleet's convergence and health checks; null when the server does not watch a source
 */
public record Status(boolean ready, String source, Instant startedAt, SourceStatus sourceStatus) {

    /** A status without a watched source. */
    public Status(boolean ready, String source, Instant startedAt) {
        this(ready, source, startedAt, null);
    }

    /** A server that is serving a snapshot from this source. */
    public static Status ready(String source, Instant startedAt) {
        return new Status(true, source, startedAt);
    }
}
