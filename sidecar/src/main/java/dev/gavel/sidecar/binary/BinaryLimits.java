package dev.gavel.sidecar.binary;

import java.time.Duration;

/**
 * The binary listener's limits, each with its default beside it. A connection holds at most
 * {@code maxFrameBytes} of unread request and {@code maxAnswerBytes} plus one answer of unsent
 * answers, so the listener's buffers never exceed {@code maxConnections} times their sum.
 *
 * @param maxConnections connections served at once; one more is told TOO_MANY_CONNECTIONS and closed
 * @param maxFrameBytes the longest request frame; a longer one is FRAME_TOO_LARGE and closes its connection
 * @param maxBatch the most checks in one request; more is BATCH_TOO_LARGE
 * @param maxInFlight the most requests of a connection answered but not yet sent; more are answered BUSY
 * @param maxAnswerBytes unsent answers past which a connection is no longer read, and the longest answer
 * @param stallTimeout how long unsent answers may wait for a client that does not read before it is dropped
 * @param ioThreads threads that read, decide and write; each serves its share of the connections
 * @param principalCacheSize prepared principals kept, by ARN or by access key and session token
 */
public record BinaryLimits(int maxConnections, int maxFrameBytes, int maxBatch, int maxInFlight, int maxAnswerBytes,
        Duration stallTimeout, int ioThreads, int principalCacheSize) {

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_BATCH = 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;
    public static final int DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_IO_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    public static final int DEFAULT_PRINCIPAL_CACHE_SIZE = 100_000;

    /** The smallest frame the limit may be: a header and a small request. */
    static final int MIN_FRAME_BYTES = 256;
    /** SBE groups count in 16 bits. */
    static final int MAX_GROUP = 65_535;

    public BinaryLimits {
        require(maxConnections >= 1, "maxConnections must be at least 1");
        require(maxFrameBytes >= MIN_FRAME_BYTES, "maxFrameBytes must be at least " + MIN_FRAME_BYTES);
        require(maxBatch >= 1 && maxBatch <= MAX_GROUP, "maxBatch must be between 1 and " + MAX_GROUP);
        require(maxInFlight >= 1, "maxInFlight must be at least 1");
        require(maxAnswerBytes >= MIN_FRAME_BYTES, "maxAnswerBytes must be at least " + MIN_FRAME_BYTES);
        require(!stallTimeout.isNegative() && !stallTimeout.isZero(), "stallTimeout must be positive");
        require(ioThreads >= 1 && ioThreads <= 256, "ioThreads must be between 1 and 256");
        require(principalCacheSize >= 1, "principalCacheSize must be at least 1");
    }

    public static BinaryLimits defaults() {
        return new BinaryLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_BATCH,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_STALL_TIMEOUT, DEFAULT_IO_THREADS,
                DEFAULT_PRINCIPAL_CACHE_SIZE);
    }

    public BinaryLimits withMaxConnections(int value) {
        return new BinaryLimits(value, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout, ioThreads,
                principalCacheSize);
    }

    public BinaryLimits withMaxFrameBytes(int value) {
        return new BinaryLimits(maxConnections, value, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout, ioThreads,
                principalCacheSize);
    }

    public BinaryLimits withMaxBatch(int value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, value, maxInFlight, maxAnswerBytes, stallTimeout,
                ioThreads, principalCacheSize);
    }

    public BinaryLimits withMaxInFlight(int value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, value, maxAnswerBytes, stallTimeout,
                ioThreads, principalCacheSize);
    }

    public BinaryLimits withMaxAnswerBytes(int value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, value, stallTimeout, ioThreads,
                principalCacheSize);
    }

    public BinaryLimits withStallTimeout(Duration value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, value, ioThreads,
                principalCacheSize);
    }

    public BinaryLimits withIoThreads(int value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout,
                value, principalCacheSize);
    }

    public BinaryLimits withPrincipalCacheSize(int value) {
        return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout,
                ioThreads, value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
