package dev.gavel.sts;

import java.time.Instant;

/** Temporary credentials as STS returns them. {@link #toString()} shows neither secret nor token. */
public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + ", expires " + expiration + "]";
    }
}
