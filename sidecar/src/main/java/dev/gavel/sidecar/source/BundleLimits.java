package dev.gavel.sidecar.source;

/**
 * How large a bundle may be, so that a bundle can never fill a disk or a heap (a "zip bomb"): the
 * bytes downloaded, the bytes the gzip stream expands to (tar headers included) and the number of
 * entries. A bundle over any limit is refused before it is loaded.
 *
 * <p>The defaults fit directories far beyond the largest measured (100,000 principals are 95 MB
 * of JSON, about 10 MB as a bundle) and stay well below what would hurt a server.
 *
 * @param maxBundleBytes   the largest bundle downloaded, compressed
 * @param maxExpandedBytes the most bytes its gzip stream may expand to
 * @param maxEntries       the most entries (files and folders) it may hold
 */
public record BundleLimits(long maxBundleBytes, long maxExpandedBytes, int maxEntries) {

    /** 256 MiB downloaded, 2 GiB expanded, 100,000 entries. */
    public static final BundleLimits DEFAULT = new BundleLimits(256L << 20, 2L << 30, 100_000);

    public BundleLimits {
        if (maxBundleBytes <= 0 || maxExpandedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("bundle limits must be positive");
        }
    }
}
