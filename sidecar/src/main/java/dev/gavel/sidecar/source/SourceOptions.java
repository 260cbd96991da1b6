package dev.gavel.sidecar.source;

import dev.gavel.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code gavel serve}'s options for where the directory comes from, as a picocli mixin:
 * {@code @Mixin SourceOptions source;} then {@link #open()}. Exactly one of {@code --directory}
 * and {@code --bundle} is required; {@link #open()} says so when it is not.
 */
public final class SourceOptions {

    @Option(names = "--directory", paramLabel = "DIR",
            description = "The directory: a folder or one account file on this machine, reloaded when its files "
                    + "change (checked every --directory-poll). Or use --bundle.")
    Path directory;

    @Option(names = "--bundle", paramLabel = "URL",
            description = "The directory as a bundle (gavel bundle) at an http(s) URL, polled every --bundle-poll with "
                    + "If-None-Match. Verified against URL.sha256 (or --bundle-sha256) and, with "
                    + "--bundle-public-key, the Ed25519 signature URL.sig, before it loads.")
    String bundle;

    @Option(names = "--bundle-sha256", paramLabel = "HEX",
            description = "Pin the bundle's SHA-256: only that bundle loads, and URL.sha256 is not read.")
    String bundleSha256;

    @Option(names = "--bundle-public-key", paramLabel = "FILE",
            description = "An Ed25519 public key (PEM, as gavel bundle --generate-key or openssl pkey -pubout writes "
                    + "it): the bundle must be signed by its private key (URL.sig).")
    Path bundlePublicKey;

    @Option(names = "--bundle-poll", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to check the bundle URL: 500ms, 30s, 5m, 1h; 0 never (default: 30s). After "
                    + "network failures, checks back off up to 5m.")
    Duration bundlePoll;

    @Option(names = "--directory-poll", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to check the --directory folder's files for changes; 0 never (default: 5s).")
    Duration directoryPoll;

    /** The source these options describe; a wrong combination is {@link SourceException.Reason#CONFIG}. */
    public DirectorySource open() throws SourceException {
        if (directory != null && bundlePoll != null) {
            throw new SourceException(SourceException.Reason.CONFIG, "--bundle-poll applies to --bundle; a folder "
                    + "is checked every --directory-poll");
        }
        if (bundle != null && directoryPoll != null) {
            throw new SourceException(SourceException.Reason.CONFIG, "--directory-poll applies to --directory; a "
                    + "bundle is checked every --bundle-poll");
        }
        return DirectorySource.of(directory, bundle, bundleSha256, bundlePublicKey,
                directory != null ? directoryPoll : bundlePoll);
    }
}
