package dev.gavel.directory;

import java.time.Instant;

/**
 * A key that seals and opens session tokens. Every key verifies; the newest issues. {@link
 * #toString()} never shows the secret.
 */
public record SessionKey(String id, byte[] secret, Instant created) {

    @Override
    public String toString() {
        return "SessionKey[" + id + ", " + created + "]";
    }
}
