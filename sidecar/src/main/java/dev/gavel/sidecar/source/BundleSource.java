package dev.gavel.sidecar.source;

import dev.gavel.directory.Directory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * A directory published as a bundle ({@code gavel bundle}) at an HTTP(S) URL: any static web
 * server, object store or CDN. Each check is one conditional GET of the bundle; a 304 (or the same
 * digest as the bundle served) is nothing to do. A new bundle is downloaded to a fresh temporary
 * folder, checked, extracted, loaded, and the folder deleted; only then is it delivered.
 *
 * <p><b>Checks, in order.</b> Size while downloading ({@link BundleLimits#maxBundleBytes()}). The
 * SHA-256 of the bytes against the pinned digest ({@link Builder#sha256}) or, without a pin,
 * against {@code URL.sha256}, which must be published beside the bundle (in {@code sha256sum}
 * format). With a public key ({@link Builder#publicKey}), the Ed25519 signature in
 * {@code URL.sig}, over the bundle's bytes. Then safe extraction ({@link BundleArchive}) and
 * loading. A bundle is never loaded unverified. The companion URLs are the bundle's with the
 * suffix added to its path (its query string is kept).
 *
 * <p><b>Refusals that a republish of the digest or signature may cure</b> (a missing or different
 * {@code .sha256} or {@code .sig}: a publisher that is mid-upload) are retried at the next check,
 * with backoff. <b>Refusals of the bundle itself</b> (a pinned digest that differs, a bad archive,
 * an unsafe entry, a limit, directory problems) are remembered with the bundle's ETag: later
 * checks get a 304 and neither download it again nor report it again, until the bundle changes.
 *
 * <p>The content version is {@code sha256:HEX}, the digest in the bundle's {@code .sha256} file:
 * what {@code gavel bundle} prints, the same on every instance that serves it.
 *
 * <p>URLs in messages and in {@link #description()} show no query string and no user
 * information, which may hold credentials (a pre-signed URL).
 */
public final class BundleSource extends PollingSource {

    private final URI url;
    private final String shown;
    private final String name;
    private final String pinned;
    private final PublicKey publicKey;
    private final Path publicKeyFile;
    private final BundleLimits limits;
    private final HttpFetch http;
    private final Path workFolder;
    private HttpFetch.Validators validators = HttpFetch.Validators.NONE;
    private SourceException refused;

    private BundleSource(Builder builder, String shown, PublicKey publicKey) {
        super("bundle " + shown, builder.poll, builder.clock, builder.startupAttempts, builder.sleeper);
        this.url = builder.url;
        this.shown = shown;
        String path = url.getPath();
        this.name = path.substring(path.lastIndexOf('/') + 1);
        this.pinned = builder.sha256;
        this.publicKey = publicKey;
        this.publicKeyFile = builder.publicKeyFile;
        this.limits = builder.limits;
        this.http = new HttpFetch(builder.client != null ? builder.client : HttpFetch.client(builder.connectTimeout),
                builder.timeout);
        this.workFolder = builder.workFolder;
    }

    /** A source for the bundle at {@code url} ({@code http} or {@code https}). */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    @Override
    Fetched fetch(String served) throws SourceException {
        Path work;
        try {
            work = workFolder == null ? Files.createTempDirectory("gavel-bundle-")
                    : Files.createTempDirectory(workFolder, "gavel-bundle-");
        } catch (IOException e) {
            throw new SourceException(SourceException.Reason.UNREADABLE, "cannot make a temporary folder for "
                    + shown + ": " + BundleArchive.message(e), e);
        }
        try {
            Path file = work.resolve("bundle.tar.gz");
            HttpFetch.Download download = http.toFile(url, shown,
                    served == null ? HttpFetch.Validators.NONE : validators, file, limits.maxBundleBytes());
            if (download.notModified()) {
                if (served == null) {
                    throw new SourceException(SourceException.Reason.HTTP_STATUS, "GET " + shown
                            + " answered 304 Not Modified to a request that was not conditional");
                }
                if (refused != null) {
                    throw refused;
                }
                return null;
            }
            if (download.tooLarge() != null) {
                throw refuse(download, download.tooLarge(), "");
            }
            String version = "sha256:" + download.sha256();
            if (version.equals(served)) {
                validators = download.validators();
                refused = null;
                return null;
            }
            try {
                verify(download, file);
                Path root = Files.createDirectory(work.resolve("directory"));
                Path directoryPath = BundleArchive.extract(file, root, limits);
                Directory directory = BundleArchive.load(directoryPath, root, name + "!", "the directory in it");
                return new Fetched(directory, version, () -> {
                    validators = download.validators();
                    refused = null;
                });
            } catch (SourceException e) {
                if (e.reason() == SourceException.Reason.UNREACHABLE || e.reason() == SourceException.Reason.UNREADABLE) {
                    throw e;
                }
                throw refuse(download, e, version + " ");
            } catch (IOException e) {
                throw new SourceException(SourceException.Reason.UNREADABLE, "cannot read the download of " + shown
                        + ": " + BundleArchive.message(e), e);
            }
        } finally {
            BundleArchive.delete(work);
        }
    }

    /**
     * A refusal of the downloaded bundle. One that only the bundle's change can cure is remembered
     * with its validators: until the bundle changes, checks get a 304 and repeat it, unreported.
     */
    private SourceException refuse(HttpFetch.Download download, SourceException e, String version) {
        SourceException refusal = new SourceException(e.reason(), "refused the bundle " + version + "from " + shown
                + ": " + e.getMessage(), e.problems(), e.retryable(), e);
        if (!refusal.retryable()) {
            validators = download.validators();
            refused = refusal;
        }
        return refusal;
    }

    /** Checks the downloaded bundle's digest, and its signature when a public key is configured. */
    private void verify(HttpFetch.Download download, Path file) throws SourceException, IOException {
        String expected;
        String says;
        if (pinned != null) {
            expected = pinned;
            says = "--bundle-sha256 pins";
        } else {
            URI digestUrl = companion(".sha256");
            String digestShown = shown + ".sha256";
            byte[] text;
            try {
                text = http.small(digestUrl, digestShown, Checksums.MAX_FILE);
            } catch (SourceException e) {
                throw companionMissing(e, "its digest: publish " + name + ".sha256 beside it (gavel bundle writes it), "
                        + "or pin the digest with --bundle-sha256");
            }
            expected = Checksums.parseFile(text);
            if (expected == null) {
                throw new SourceException(SourceException.Reason.BAD_CHECKSUM_FILE, digestShown + " holds no SHA-256 "
                        + "digest; expected what sha256sum prints: HEX  " + name, true);
            }
            says = name + ".sha256 says";
        }
        if (!expected.equals(download.sha256())) {
            throw new SourceException(SourceException.Reason.DIGEST_MISMATCH, "its SHA-256 is " + download.sha256()
                    + ", but " + says + " " + expected, pinned == null);
        }
        if (publicKey == null) {
            return;
        }
        String signatureShown = shown + ".sig";
        byte[] signatureFile;
        try {
            signatureFile = http.small(companion(".sig"), signatureShown, Checksums.MAX_FILE);
        } catch (SourceException e) {
            throw companionMissing(e, "its signature: publish " + name + ".sig beside it (gavel bundle --sign-key "
                    + "writes it)");
        }
        byte[] signature = Ed25519Keys.parseSignature(signatureFile);
        if (signature == null) {
            throw new SourceException(SourceException.Reason.BAD_CHECKSUM_FILE, signatureShown + " holds no Ed25519 "
                    + "signature: expected 64 bytes, raw or in base64", true);
        }
        if (!Ed25519Keys.verify(publicKey, file, signature)) {
            throw new SourceException(SourceException.Reason.BAD_SIGNATURE, "its Ed25519 signature (" + name
                    + ".sig) does not verify with the public key " + publicKeyFile, true);
        }
    }

    /** A companion file that could not be fetched; worth retrying, as the publisher may be uploading it. */
    private static SourceException companionMissing(SourceException e, String what) {
        if (e.reason() == SourceException.Reason.HTTP_STATUS) {
            return new SourceException(e.reason(), e.getMessage() + "; cannot check " + what, true);
        }
        return e;
    }

    private URI companion(String suffix) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath() + suffix
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The URL without its user information or query string, which may hold credentials. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + url.getRawPath() + (url.getRawQuery() == null ? "" : "?...");
    }

    /** The settings of a bundle source, checked by {@link #build()}. */
    public static final class Builder {
        private final URI url;
        private String sha256;
        private String sha256Given;
        private Path publicKeyFile;
        private Duration poll = DEFAULT_BUNDLE_POLL;
        private BundleLimits limits = BundleLimits.DEFAULT;
        private Duration timeout = Duration.ofMinutes(2);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int startupAttempts = 4;
        private Path workFolder;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
        private HttpClient client;

        private Builder(URI url) {
            this.url = url;
        }

        /** Pins the bundle's SHA-256 (hex, or {@code sha256:HEX}): only that bundle loads; no {@code .sha256} is read. */
        public Builder sha256(String hex) {
            this.sha256Given = hex;
            return this;
        }

        /** Requires {@code URL.sig}, an Ed25519 signature of the bundle by this public key's private key (PEM). */
        public Builder publicKey(Path pemFile) {
            this.publicKeyFile = pemFile;
            return this;
        }

        /** How often to check for a new bundle (30 s by default); zero checks only when polled. */
        public Builder poll(Duration interval) {
            this.poll = interval;
            return this;
        }

        /** The size limits (by default {@link BundleLimits#DEFAULT}). */
        public Builder limits(BundleLimits limits) {
            this.limits = limits;
            return this;
        }

        /** How long one GET may take, from the request to the body's last byte (2 min by default). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How long connecting may take (10 s by default). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * How many times {@link #load()} tries before giving up on a network failure (4 by default:
         * waits of 0.5, 1 and 2 s between them).
         */
        public Builder startupAttempts(int attempts) {
            this.startupAttempts = attempts;
            return this;
        }

        /** Where temporary folders are made (the system's temporary folder by default). */
        public Builder workFolder(Path folder) {
            this.workFolder = folder;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        Builder client(HttpClient client) {
            this.client = client;
            return this;
        }

        /** The source; a wrong setting is {@link SourceException.Reason#CONFIG} with what to change. */
        public BundleSource build() throws SourceException {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw config("--bundle takes an http:// or https:// URL, not \"" + url + "\"; for a folder on this "
                        + "machine, use --directory");
            }
            String path = url.getPath();
            if (path == null || path.isEmpty() || path.endsWith("/")) {
                throw config("--bundle must name a file, as https://" + url.getHost() + "/bundle.tar.gz");
            }
            if (sha256Given != null) {
                sha256 = Checksums.parsePin(sha256Given);
                if (sha256 == null) {
                    throw config("--bundle-sha256 \"" + sha256Given + "\" is not a SHA-256 digest: 64 hex digits, "
                            + "as sha256sum prints them");
                }
            }
            if (poll.isNegative() || timeout.isNegative() || timeout.isZero() || connectTimeout.isNegative()
                    || connectTimeout.isZero()) {
                throw config("the poll interval cannot be negative, and the timeouts must be positive");
            }
            if (startupAttempts < 1) {
                throw config("start-up needs at least one attempt");
            }
            PublicKey key = publicKeyFile == null ? null : Ed25519Keys.readPublic(publicKeyFile);
            return new BundleSource(this, shown(url), key);
        }

        private static SourceException config(String message) {
            return new SourceException(SourceException.Reason.CONFIG, message);
        }
    }
}
