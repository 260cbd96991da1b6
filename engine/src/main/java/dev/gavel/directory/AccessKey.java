package dev.gavel.directory;

import java.time.Instant;

/** A user's long-term access key. {@link #toString()} never shows the secret. */
public record AccessKey(String accessKeyId, String secretAccessKey, String userArn, boolean active, Instant created) {

    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", " + userArn + ", " + (active ? "Active" : "Inactive") + "]";
    }
}
