package dev.gavel.sidecar.source;

import dev.gavel.directory.Directory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a server's directory comes from, and how it learns of new versions: a local folder (or one
 * account file) that it watches, or a bundle URL that it polls. See the package documentation for
 * how {@code gavel serve} wires one to an {@code Engine}.
 *
 * <p>{@link #load()} delivers the directory at start-up. {@link #start(Listener)} then checks for a
 * new version every poll interval on one daemon thread, and hands each new directory to the
 * listener with its <em>content version</em>: a string that names the content, the same on every
 * instance that holds the same directory. A version that fails (unreachable, refused, does not
 * load) is reported to the listener with its reason, once per distinct reason, and changes
 * nothing: the server keeps serving what it has.
 */
public interface DirectorySource extends AutoCloseable {

    /** How often a bundle URL is polled unless told otherwise. */
    Duration DEFAULT_BUNDLE_POLL = Duration.ofSeconds(30);
    /** How often a folder is checked for changes unless told otherwise (a check reads file sizes and times). */
    Duration DEFAULT_FOLDER_POLL = Duration.ofSeconds(5);

    /**
     * Loads the directory now, for start-up: the folder, or the bundle the URL serves, verified.
     * Network failures are retried a few times with backoff before giving up.
     */
    Directory load() throws SourceException;

    /** The content version of the directory delivered last, by {@link #load()} or to the listener; null before. */
    String contentVersion();

    /**
     * Starts checking for new versions every poll interval (none with an interval of zero: then only
     * {@link #poll()} checks), telling {@code listener}. The listener is called on the source's own
     * thread, one call at a time. Call once.
     */
    void start(Listener listener);

    /**
     * Checks for a new version now, on the calling thread, and tells the listener: for a "reload
     * now" request, and for tests. Needs {@link #start(Listener)} first.
     */
    Outcome poll();

    /** The content version served, the last check's time and outcome. */
    SourceStatus status();

    /** {@code folder PATH} or {@code bundle URL}. */
    String description();

    /** Stops checking. A check in progress is abandoned and reports nothing. */
    @Override
    void close();

    /** What one check found. */
    enum Outcome {
        /** Nothing new: the version served is the newest (or the newest was already refused). */
        UNCHANGED,
        /** A new directory was delivered to the listener. */
        UPDATED,
        /** The check failed; the listener was told unless it already knew this reason. */
        FAILED
    }

    /** Told of new directories and of failures. */
    interface Listener {

        /**
         * A new directory, verified and loaded: swap it in ({@code engine.reload(directory)}) and
         * report {@code contentVersion}. If this throws, the version counts as not delivered and is
         * reported as {@link SourceException.Reason#NOT_APPLIED}.
         */
        void updated(Directory directory, String contentVersion);

        /**
         * A check failed and nothing changed. Called when a failure starts or its reason changes, not
         * for each retry of the same failure: log it as it comes.
         */
        void failed(SourceException failure);

        /** Checks succeed again after failing; {@code status} says what is served. */
        default void recovered(SourceStatus status) {}
    }

    /**
     * The source that {@code gavel serve}'s options describe: {@code --directory DIR} or
     * {@code --bundle URL}, with {@code --bundle-sha256 HEX}, {@code --bundle-public-key FILE} and a
     * poll interval ({@code --bundle-poll}, or the folder's). Null arguments are absent options; a
     * null poll is the default for the kind of source.
     *
     * @throws SourceException {@link SourceException.Reason#CONFIG} for a wrong combination, a
     *                         malformed URL or digest, or a key file that is not an Ed25519 public key
     */
    static DirectorySource of(Path directory, String bundleUrl, String bundleSha256, Path bundlePublicKey,
            Duration poll) throws SourceException {
        if ((directory == null) == (bundleUrl == null)) {
            throw new SourceException(SourceException.Reason.CONFIG,
                    "give the directory as --directory DIR (a folder or account file) or --bundle URL, not "
                            + (directory == null ? "neither" : "both"));
        }
        if (poll != null && poll.isNegative()) {
            throw new SourceException(SourceException.Reason.CONFIG, "the poll interval cannot be negative");
        }
        if (directory != null) {
            if (bundleSha256 != null || bundlePublicKey != null) {
                throw new SourceException(SourceException.Reason.CONFIG,
                        "--bundle-sha256 and --bundle-public-key apply to --bundle URL, not to --directory");
            }
            return FolderSource.of(directory, poll == null ? DEFAULT_FOLDER_POLL : poll);
        }
        URI uri;
        try {
            uri = new URI(bundleUrl);
        } catch (URISyntaxException e) {
            throw new SourceException(SourceException.Reason.CONFIG, "--bundle \"" + bundleUrl + "\" is not a URL: "
                    + e.getReason());
        }
        BundleSource.Builder builder = BundleSource.builder(uri).poll(poll == null ? DEFAULT_BUNDLE_POLL : poll);
        if (bundleSha256 != null) {
            builder.sha256(bundleSha256);
        }
        if (bundlePublicKey != null) {
            builder.publicKey(bundlePublicKey);
        }
        return builder.build();
    }
}
