package dev.gavel.sts;

import java.time.Instant;

/**
 * A request signature that {@link SigV4Verifier} accepted, and the credential scope it was made
 * for. The caller checks that the region and service are its own.
 *
 * @param sessionToken the {@code X-Amz-Security-Token}, or null for a long-term access key
 * @param signedAt the {@code X-Amz-Date} (or {@code Date}) the signature covers
 * @param presigned whether the signature came in the query string rather than the
 *     {@code Authorization} header
 */
public record VerifiedSignature(String accessKeyId, String sessionToken, String region, String service,
        Instant signedAt, boolean presigned) {

    /** Everything but the session token. */
    @Override
    public String toString() {
        return "VerifiedSignature[" + accessKeyId + ", " + region + "/" + service + ", signed " + signedAt
                + (presigned ? ", presigned" : "") + (sessionToken == null ? "" : ", with a session token") + "]";
    }
}
