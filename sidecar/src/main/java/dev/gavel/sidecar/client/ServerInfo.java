package dev.gavel.sidecar.client;

/**
 * What the server said in its Welcome frame: its protocol and software versions, the snapshot it
 * decided on when the connection opened, and the limits the client keeps to.
 */
public record ServerInfo(int protocolVersion, String serverVersion, long snapshotVersion, int maxFrameBytes,
        int maxBatch, int maxInFlight, int maxAnswerBytes) {}
