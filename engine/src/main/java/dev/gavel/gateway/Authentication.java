package dev.gavel.gateway;

import java.time.Instant;

/**
 * How a request proved who sent it, for the condition keys that depend on it
 * ({@code s3:authType}, {@code s3:signatureversion}, {@code s3:signatureAge}).
 *
 * @param kind how the request was signed
 * @param signedAt the signing date the signature covers; null for an anonymous request
 * @param receivedAt when Gavel authenticated the request
 */
public record Authentication(Kind kind, Instant signedAt, Instant receivedAt) {

    /** How a request was signed. */
    public enum Kind {
        /** Not signed: the anonymous caller. */
        ANONYMOUS,
        /** SigV4 in the {@code Authorization} header. */
        HEADER,
        /** SigV4 in the query string: a presigned URL. */
        PRESIGNED
    }

    /** The signature's age in milliseconds, or -1 for an anonymous request. */
    public long signatureAgeMillis() {
        return signedAt == null ? -1 : Math.max(0, receivedAt.toEpochMilli() - signedAt.toEpochMilli());
    }
}
