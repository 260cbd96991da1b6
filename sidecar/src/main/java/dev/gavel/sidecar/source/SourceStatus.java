package dev.gavel.sidecar.source;

import java.time.Instant;

/**
 * What a source serves and how its last checks went: what a server puts on its status endpoint,
 * so that a fleet can be checked for convergence (every instance reports the same
 * {@code contentVersion}) and for health (no instance has a {@code failure}).
 *
 * @param source              what is read: {@code folder PATH} or {@code bundle URL}
 * @param contentVersion      the version of the directory delivered last ({@code sha256:HEX} for a
 *                            bundle, {@code files-sha256:HEX} for a folder); null before the first
 * @param loadedAt            when that directory was delivered; null before the first
 * @param checkedAt           when the source was last checked, successfully or not; null before
 * @param failure             the reason the latest check failed, or null when it succeeded
 * @param failureReason       its stable code, or null
 * @param consecutiveFailures how many checks in a row have failed (0 when the last one succeeded)
 */
public record SourceStatus(String source, String contentVersion, Instant loadedAt, Instant checkedAt,
        String failure, SourceException.Reason failureReason, int consecutiveFailures) {

    /** Whether the latest check succeeded: the source serves the newest directory it can get. */
    public boolean healthy() {
        return failure == null && contentVersion != null;
    }
}
