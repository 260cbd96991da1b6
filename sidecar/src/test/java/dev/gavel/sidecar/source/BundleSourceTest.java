package dev.gavel.sidecar.source;

import static dev.gavel.sidecar.source.Bundles.bundle;
import static dev.gavel.sidecar.source.Bundles.digestFile;
import static dev.gavel.sidecar.source.Bundles.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Action;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Directory;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.source.DirectorySource.Outcome;
import dev.gavel.sidecar.source.SourceException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle source against a static web server on loopback: what loads, what is refused and why,
 * and that a refusal or an outage never costs the directory already served. Checks are driven by
 * hand ({@code poll()}, a zero interval), and start-up's waits are recorded, not slept.
 */
class BundleSourceTest {

    private static final String BUNDLE = "/b.tar.gz";

    @TempDir
    Path temp;
    private Path demo;
    private Path work;
    private TestServer server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Recorder recorder = new Recorder();
    private BundleSource source;

    @BeforeEach
    void publishTheDemo() throws IOException {
        demo = Bundles.demo(temp.resolve("demo"));
        work = Files.createDirectory(temp.resolve("work"));
        server = new TestServer();
        publish(bundle(demo));
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        server.close();
    }

    /** A listener that remembers what it was told. */
    static final class Recorder implements DirectorySource.Listener {
        final List<Directory> directories = new CopyOnWriteArrayList<>();
        final List<String> versions = new CopyOnWriteArrayList<>();
        final List<SourceException> failures = new CopyOnWriteArrayList<>();
        final List<SourceStatus> recoveries = new CopyOnWriteArrayList<>();

        @Override
        public void updated(Directory directory, String contentVersion) {
            directories.add(directory);
            versions.add(contentVersion);
        }

        @Override
        public void failed(SourceException failure) {
            failures.add(failure);
        }

        @Override
        public void recovered(SourceStatus status) {
            recoveries.add(status);
        }
    }

    private void publish(byte[] bundle) {
        server.put(BUNDLE, bundle);
        server.put(BUNDLE + ".sha256", digestFile(bundle));
    }

    private BundleSource.Builder builder() {
        return BundleSource.builder(server.uri(BUNDLE)).poll(Duration.ZERO).workFolder(work).sleeper(sleeps::add);
    }

    private BundleSource started(BundleSource.Builder builder) throws SourceException {
        source = builder.build();
        source.load();
        source.start(recorder);
        return source;
    }

    /** The demo with alice's boundary allowing s3:DeleteObject: a change that decisions show. */
    private byte[] changedBundle() throws IOException {
        Path account = demo.resolve("accounts/111122223333.json");
        String ceiling = "\"Sid\": \"DeveloperCeiling\",\n                                \"Effect\": \"Allow\",\n"
                + "                                \"Action\": [\n";
        String text = Files.readString(account);
        assertThat(text).contains(ceiling);
        Files.writeString(account, text.replace(ceiling, ceiling + "                                    \"s3:DeleteObject\",\n"));
        return bundle(demo);
    }

    private void assertNoTemporaryFolders() throws IOException {
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("temporary folders left in " + work).isEmpty();
        }
    }

    @Test
    void loadsTheBundleAndReportsItsDigestAsTheVersion() throws Exception {
        byte[] bundle = bundle(demo);
        source = builder().build();
        Directory directory = source.load();
        assertThat(directory.user(Bundles.ALICE)).isNotNull();
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(bundle));
        SourceStatus status = source.status();
        assertThat(status.healthy()).isTrue();
        assertThat(status.source()).isEqualTo("bundle " + server.uri(BUNDLE));
        assertThat(status.loadedAt()).isNotNull();
        assertThat(sleeps).isEmpty();
        assertNoTemporaryFolders();
    }

    @Test
    void anUnchangedBundleIsNotModifiedAndNothingReloads() throws Exception {
        started(builder());
        assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
        assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
        assertThat(recorder.versions).isEmpty();
        assertThat(recorder.failures).isEmpty();
        assertThat(server.count(BUNDLE, 200)).isEqualTo(1);
        assertThat(server.count(BUNDLE, 304)).isEqualTo(2);
        assertThat(server.requests.get(server.requests.size() - 1).ifNoneMatch()).isNotNull();
        assertNoTemporaryFolders();
    }

    @Test
    void aChangedBundleLoadsAndTheEngineServesItUnderANewVersion() throws Exception {
        source = builder().build();
        Engine engine = Engine.of(source.load());
        String first = source.contentVersion();
        source.start(new DirectorySource.Listener() {
            @Override
            public void updated(Directory directory, String contentVersion) {
                engine.reload(directory);
                recorder.updated(directory, contentVersion);
            }

            @Override
            public void failed(SourceException failure) {
                recorder.failed(failure);
            }
        });
        Principal alice = engine.principal(Bundles.ALICE);
        Action delete = engine.action("s3:DeleteObject");
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1");
        String object = "arn:aws:s3:::example-payments-data/orders/1.csv";
        assertThat(alice.check(delete, object, context).decision()).isEqualTo(Decision.IMPLICIT_DENY);

        byte[] changed = changedBundle();
        publish(changed);
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(recorder.versions).containsExactly("sha256:" + sha256(changed));
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(changed)).isNotEqualTo(first);
        assertThat(alice.check(delete, object, context).decision()).isEqualTo(Decision.ALLOWED);
        assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
        assertNoTemporaryFolders();
    }

    @Test
    void aServerWithoutETagsDownloadsAgainButTheSameDigestReloadsNothing() throws Exception {
        server.etags = false;
        started(builder());
        assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
        assertThat(server.count(BUNDLE, 200)).isEqualTo(2);
        assertThat(recorder.versions).isEmpty();
    }

    @Test
    void aBundleWhoseDigestDiffersIsRefusedAndTheOldOneKeepsServing() throws Exception {
        started(builder());
        String first = source.contentVersion();
        byte[] oldDigest = digestFile(bundle(demo));
        byte[] changed = changedBundle();
        server.put(BUNDLE, changed); // the bundle is replaced before its digest: a publisher mid-upload

        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).singleElement().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
            assertThat(failure.getMessage()).isEqualTo("refused the bundle sha256:" + sha256(changed) + " from "
                    + server.uri(BUNDLE) + ": its SHA-256 is " + sha256(changed) + ", but b.tar.gz.sha256 says "
                    + new String(oldDigest, StandardCharsets.UTF_8).substring(0, 64));
        });
        assertThat(source.contentVersion()).isEqualTo(first);
        assertThat(source.status().consecutiveFailures()).isEqualTo(2);
        assertThat(source.status().failureReason()).isEqualTo(Reason.DIGEST_MISMATCH);

        server.put(BUNDLE + ".sha256", digestFile(changed)); // the upload completes
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(recorder.versions).containsExactly("sha256:" + sha256(changed));
        assertThat(recorder.recoveries).singleElement()
                .satisfies(status -> assertThat(status.healthy()).isTrue());
        assertNoTemporaryFolders();
    }

    @Test
    void aPinnedDigestAdmitsOnlyItsBundleAndAnotherIsRefusedOnce() throws Exception {
        byte[] bundle = bundle(demo);
        server.remove(BUNDLE + ".sha256");
        started(builder().sha256("sha256:" + sha256(bundle).toUpperCase(java.util.Locale.ROOT)));
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(bundle));

        byte[] other = changedBundle();
        server.put(BUNDLE, other);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).singleElement().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
            assertThat(failure.getMessage()).endsWith("but --bundle-sha256 pins " + sha256(bundle));
        });
        // The refused bundle is remembered by its ETag: the second check downloaded nothing.
        assertThat(server.count(BUNDLE, 200)).isEqualTo(2);
        assertThat(server.count(BUNDLE, 304)).isEqualTo(1);
        assertThat(server.count(BUNDLE + ".sha256", 404)).isZero();
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(bundle));
    }

    @Test
    void aSignedBundleLoadsAndABadOrMissingSignatureIsRefused() throws Exception {
        KeyPair signer = Ed25519Keys.generate();
        Path publicKey = temp.resolve("signer.pub.pem");
        Files.writeString(publicKey, Ed25519Keys.pem(signer.getPublic()));
        byte[] bundle = bundle(demo);
        server.put(BUNDLE + ".sig", signatureFile(signer, bundle));
        started(builder().publicKey(publicKey));

        byte[] changed = changedBundle();
        publish(changed);
        server.put(BUNDLE + ".sig", signatureFile(Ed25519Keys.generate(), changed));
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).last().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(failure.getMessage()).endsWith("its Ed25519 signature (b.tar.gz.sig) does not verify with the "
                    + "public key " + publicKey);
        });

        server.remove(BUNDLE + ".sig");
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).last().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.HTTP_STATUS);
            assertThat(failure.getMessage()).contains("b.tar.gz.sig answered HTTP 404; cannot check its signature: "
                    + "publish b.tar.gz.sig beside it");
        });
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(bundle));

        // The raw 64 bytes that openssl pkeyutl -sign -rawin writes are a signature too.
        server.put(BUNDLE + ".sig", sign(signer, changed));
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(changed));
    }

    private byte[] signatureFile(KeyPair pair, byte[] bundle) throws IOException {
        return Ed25519Keys.signatureText(sign(pair, bundle)).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] sign(KeyPair pair, byte[] bundle) throws IOException {
        Path file = Files.write(temp.resolve("to-sign"), bundle);
        return Ed25519Keys.sign(pair.getPrivate(), file);
    }

    /** Loads the demo, publishes {@code bad} with a matching digest, and returns the refusal. */
    private SourceException refused(byte[] bad) throws Exception {
        return refused(builder(), bad);
    }

    private SourceException refused(BundleSource.Builder builder, byte[] bad) throws Exception {
        started(builder);
        String first = source.contentVersion();
        publish(bad);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.contentVersion()).isEqualTo(first);
        assertThat(recorder.versions).isEmpty();
        assertNoTemporaryFolders();
        assertThat(temp.resolve("evil.json")).doesNotExist();
        assertThat(work.resolve("evil.json")).doesNotExist();
        return recorder.failures.get(0);
    }

    @Test
    void aCorruptGzipIsRefused() throws Exception {
        assertThat(refused("not a gzip stream".getBytes(StandardCharsets.UTF_8)).reason())
                .isEqualTo(Reason.BAD_ARCHIVE);
    }

    @Test
    void aBundleCutShortIsRefused() throws Exception {
        byte[] whole = bundle(demo);
        SourceException failure = refused(Arrays.copyOf(whole, whole.length / 2));
        assertThat(failure.reason()).isEqualTo(Reason.BAD_ARCHIVE);
        assertThat(failure.getMessage()).contains("the bundle is not a gzip-compressed tar, or is cut short");
    }

    @Test
    void aParentPathIsRefused() throws Exception {
        SourceException failure = refused(Bundles.tarGz(demo, tar -> Bundles.file(tar, "accounts/../../evil.json",
                "{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(failure.reason()).isEqualTo(Reason.UNSAFE_ENTRY);
        assertThat(failure.getMessage()).endsWith("the bundle's entry \"accounts/../../evil.json\" leads outside the "
                + "bundle's folder (\"..\")");
    }

    @Test
    void anAbsolutePathIsRefused() throws Exception {
        Path evil = temp.resolve("evil.json");
        SourceException failure = refused(Bundles.tarGz(demo, tar -> Bundles.file(tar,
                new TarArchiveEntry(evil.toString(), true), "{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(failure.reason()).isEqualTo(Reason.UNSAFE_ENTRY);
        assertThat(failure.getMessage()).endsWith("\"" + evil + "\" has an absolute path");
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        SourceException failure = refused(Bundles.tarGz(demo, tar -> Bundles.special(tar, "organization2.json",
                TarConstants.LF_SYMLINK, "/etc/passwd")));
        assertThat(failure.reason()).isEqualTo(Reason.UNSAFE_ENTRY);
        assertThat(failure.getMessage()).endsWith("the bundle's entry \"organization2.json\" is a symbolic link (to "
                + "\"/etc/passwd\"); a bundle holds only files and folders");
    }

    @Test
    void hardLinksDevicesAndPipesAreRefused() throws Exception {
        started(builder());
        Object[][] cases = {
            {TarConstants.LF_LINK, "is a hard link"},
            {TarConstants.LF_CHR, "is a device file"},
            {TarConstants.LF_BLK, "is a device file"},
            {TarConstants.LF_FIFO, "is a named pipe"},
            {(byte) 'S', "has tar entry type 'S'"},
        };
        for (Object[] kind : cases) {
            publish(Bundles.tarGz(demo, tar -> Bundles.special(tar, "special", (byte) kind[0],
                    (byte) kind[0] == TarConstants.LF_LINK ? "access-keys.json" : null)));
            assertThat(source.poll()).isEqualTo(Outcome.FAILED);
            assertThat(recorder.failures).last().satisfies(failure -> {
                assertThat(failure.reason()).isEqualTo(Reason.UNSAFE_ENTRY);
                assertThat(failure.getMessage()).contains("\"special\" " + kind[1]);
            });
        }
        assertThat(recorder.failures).hasSize(cases.length);
        assertThat(recorder.versions).isEmpty();
        assertNoTemporaryFolders();
    }

    @Test
    void aNameGivenTwiceIsRefused() throws Exception {
        SourceException failure = refused(Bundles.tarGz(demo, tar -> Bundles.file(tar, "./access-keys.json",
                "{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(failure.reason()).isEqualTo(Reason.UNSAFE_ENTRY);
        assertThat(failure.getMessage()).endsWith("\"./access-keys.json\" appears twice in the bundle");
    }

    @Test
    void aBundleOverTheDownloadLimitIsRefusedWithOrWithoutContentLength() throws Exception {
        byte[] bundle = bundle(demo);
        BundleLimits limits = new BundleLimits(bundle.length + 10, 1 << 30, 1000);
        byte[] larger = Bundles.tarGz(demo, tar -> Bundles.file(tar, "padding.bin", randomBytes(4096)));
        SourceException failure = refused(builder().limits(limits), larger);
        assertThat(failure.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(failure.getMessage()).isEqualTo("refused the bundle from " + server.uri(BUNDLE)
                + ": it is larger than " + (bundle.length + 10) + " bytes, the limit");
        assertThat(source.poll()).isEqualTo(Outcome.FAILED); // remembered: not downloaded again
        assertThat(server.count(BUNDLE, 304)).isEqualTo(1);

        server.chunked = true;
        server.put(BUNDLE, Bundles.tarGz(demo, tar -> Bundles.file(tar, "padding.bin", randomBytes(8192))));
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.status().failureReason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(recorder.failures).hasSize(1); // the same reason, in the same words
        assertNoTemporaryFolders();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aBundleThatExpandsBeyondTheLimitIsRefused() throws Exception {
        // 4 MiB of zeros: a few kilobytes compressed.
        byte[] bomb = Bundles.tarGz(demo, tar -> Bundles.file(tar, "zeros.bin", new byte[4 << 20]));
        SourceException failure = refused(builder().limits(new BundleLimits(1 << 20, 1 << 20, 1000)), bomb);
        assertThat(failure.reason()).isEqualTo(Reason.ARCHIVE_LIMIT);
        assertThat(failure.getMessage()).endsWith("the bundle expands to more than 1048576 bytes, the limit");
    }

    @Test
    void aBundleWithTooManyEntriesIsRefused() throws Exception {
        SourceException failure = refused(builder().limits(new BundleLimits(1 << 20, 1 << 24, 12)),
                Bundles.tarGz(demo, tar -> {
                    for (int i = 0; i < 5; i++) {
                        Bundles.file(tar, "notes/" + i + ".txt", new byte[0]);
                    }
                }));
        assertThat(failure.reason()).isEqualTo(Reason.ARCHIVE_LIMIT);
        assertThat(failure.getMessage()).endsWith("the bundle holds more than 12 entries, the limit");
    }

    @Test
    void aDirectoryWithProblemsIsRefusedWithThemOnceAndNotDownloadedAgain() throws Exception {
        Files.writeString(demo.resolve("mfa-devices.json"), "{\"MFADevices\": [");
        SourceException failure = refused(bundle(demo));
        assertThat(failure.reason()).isEqualTo(Reason.LOAD_PROBLEMS);
        assertThat(failure.getMessage()).endsWith(": the directory in it did not load: 1 problem");
        assertThat(failure.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.file()).isEqualTo("b.tar.gz!/mfa-devices.json"));
        assertThat(failure.report()).contains("\nb.tar.gz!/mfa-devices.json:");

        long downloads = server.count(BUNDLE, 200);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(server.count(BUNDLE, 200)).isEqualTo(downloads);
        assertThat(recorder.failures).hasSize(1);
        assertThat(source.status().failure()).isEqualTo(failure.getMessage());
    }

    @Test
    void aTarMadeByHandWithOneTopFolderLoads() throws Exception {
        byte[] handMade = Bundles.tarGz(null, tar -> {
            for (DirectoryFiles.Entry file : DirectoryFiles.list(demo)) {
                Bundles.file(tar, "demo/" + file.name(), Files.readAllBytes(file.path()));
            }
            Bundles.file(tar, "demo/README.md", "who is who".getBytes(StandardCharsets.UTF_8));
        });
        started(builder());
        publish(handMade);
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(recorder.directories).singleElement()
                .satisfies(directory -> assertThat(directory.user(Bundles.ALICE)).isNotNull());
    }

    @Test
    void aServerDownAtStartUpIsAClearErrorAfterRetries() throws Exception {
        server.stop();
        source = builder().startupAttempts(3).build();
        assertThatThrownBy(source::load).isInstanceOfSatisfying(SourceException.class, failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(failure.getMessage()).isEqualTo("cannot GET " + server.uri(BUNDLE)
                    + ": connection refused (tried 3 times)");
        });
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(source.contentVersion()).isNull();
        assertThat(source.status().consecutiveFailures()).isEqualTo(3);
        assertNoTemporaryFolders();
    }

    @Test
    void aMissingBundleAtStartUpIsNotRetried() throws Exception {
        source = BundleSource.builder(server.uri("/missing.tar.gz")).workFolder(work).sleeper(sleeps::add).build();
        assertThatThrownBy(source::load).isInstanceOfSatisfying(SourceException.class, failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.HTTP_STATUS);
            assertThat(failure.getMessage()).isEqualTo("GET " + server.uri("/missing.tar.gz") + " answered HTTP 404");
        });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aServerThatGoesDownKeepsTheOldDirectoryRetriesAndRecovers() throws Exception {
        started(builder());
        String first = source.contentVersion();
        server.stop();
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).singleElement().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(failure.retryable()).isTrue();
        });
        SourceStatus down = source.status();
        assertThat(down.contentVersion()).isEqualTo(first);
        assertThat(down.consecutiveFailures()).isEqualTo(3);
        assertThat(down.healthy()).isFalse();

        byte[] changed = changedBundle();
        publish(changed);
        server.start();
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(source.contentVersion()).isEqualTo("sha256:" + sha256(changed));
        assertThat(recorder.recoveries).singleElement()
                .satisfies(status -> assertThat(status.consecutiveFailures()).isZero());
    }

    @Test
    void aBodyThatStallsTimesOut() throws Exception {
        started(builder().timeout(Duration.ofMillis(300)));
        server.stall = new CountDownLatch(1);
        server.etags = false;
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).singleElement().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(failure.getMessage()).isEqualTo("cannot GET " + server.uri(BUNDLE)
                    + ": no complete answer within 300ms");
        });
    }

    @Test
    void aListenerThatFailsLeavesTheVersionUndeliveredUntilItSucceeds() throws Exception {
        source = builder().build();
        source.load();
        String first = source.contentVersion();
        List<String> applied = new CopyOnWriteArrayList<>();
        boolean[] broken = {true};
        source.start(new DirectorySource.Listener() {
            @Override
            public void updated(Directory directory, String contentVersion) {
                if (broken[0]) {
                    throw new IllegalStateException("compiling failed");
                }
                applied.add(contentVersion);
            }

            @Override
            public void failed(SourceException failure) {
                recorder.failed(failure);
            }
        });
        publish(changedBundle());
        assertThat(source.poll()).isEqualTo(Outcome.FAILED);
        assertThat(recorder.failures).singleElement()
                .satisfies(failure -> assertThat(failure.reason()).isEqualTo(Reason.NOT_APPLIED));
        assertThat(source.contentVersion()).isEqualTo(first);
        broken[0] = false;
        assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
        assertThat(applied).containsExactly(source.contentVersion());
    }

    @Test
    void aQueryStringIsKeptForTheDigestAndHiddenInMessages() throws Exception {
        source = BundleSource.builder(server.uri(BUNDLE + "?token=secret")).poll(Duration.ZERO).workFolder(work)
                .build();
        source.load();
        assertThat(source.description()).isEqualTo("bundle " + server.uri(BUNDLE) + "?...");
        assertThat(server.requests).extracting(TestServer.Request::path, TestServer.Request::query)
                .contains(org.assertj.core.groups.Tuple.tuple(BUNDLE + ".sha256", "token=secret"));
    }

    @Test
    void theOptionsOfServeMakeASourceOrSayWhatIsWrong() throws Exception {
        Path privateKey = temp.resolve("k.pem");
        Files.writeString(privateKey, Ed25519Keys.pem(Ed25519Keys.generate().getPrivate()));
        Object[][] wrong = {
            {null, null, null, null, "give the directory as --directory DIR (a folder or account file) or --bundle "
                    + "URL, not neither"},
            {demo, "http://h/b.tar.gz", null, null, "give the directory as --directory DIR (a folder or account file)"
                    + " or --bundle URL, not both"},
            {demo, null, "ab", null, "--bundle-sha256 and --bundle-public-key apply to --bundle URL, not to "
                    + "--directory"},
            {null, "ftp://h/b.tar.gz", null, null, "--bundle takes an http:// or https:// URL, not "
                    + "\"ftp://h/b.tar.gz\"; for a folder on this machine, use --directory"},
            {null, "https://h/", null, null, "--bundle must name a file, as https://h/bundle.tar.gz"},
            {null, "https://h/b.tar.gz", "abc", null, "--bundle-sha256 \"abc\" is not a SHA-256 digest: 64 hex "
                    + "digits, as sha256sum prints them"},
            {null, "https://h/b.tar.gz", null, privateKey, "the key file " + privateKey + " holds a private key; give "
                    + "the public key (PREFIX.pub.pem, or: openssl pkey -in KEY.pem -pubout)"},
            {null, "https://h/b.tar.gz", null, temp.resolve("none.pem"), "the key file " + temp.resolve("none.pem")
                    + " cannot be read: java.nio.file.NoSuchFileException: " + temp.resolve("none.pem")},
        };
        for (Object[] options : wrong) {
            assertThatThrownBy(() -> DirectorySource.of((Path) options[0], (String) options[1], (String) options[2],
                    (Path) options[3], null)).isInstanceOfSatisfying(SourceException.class, failure -> {
                        assertThat(failure.reason()).isEqualTo(Reason.CONFIG);
                        assertThat(failure.getMessage()).isEqualTo(options[4]);
                    });
        }
        try (DirectorySource folder = DirectorySource.of(demo, null, null, null, null);
                DirectorySource bundle = DirectorySource.of(null, server.uri(BUNDLE).toString(), null, null, null)) {
            assertThat(folder).isInstanceOf(FolderSource.class);
            assertThat(folder.description()).isEqualTo("folder " + demo);
            assertThat(bundle).isInstanceOf(BundleSource.class);
        }
    }

    @Test
    void theBackoffGrowsOnlyForFailuresThatMayPass() {
        Duration interval = Duration.ofSeconds(30);
        assertThat(PollingSource.nextDelay(interval, 0, false, 0.5)).isEqualTo(interval);
        assertThat(PollingSource.nextDelay(interval, 3, false, 0.5)).isEqualTo(interval);
        assertThat(PollingSource.nextDelay(interval, 1, true, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(PollingSource.nextDelay(interval, 3, true, 0.5)).isEqualTo(Duration.ofSeconds(240));
        assertThat(PollingSource.nextDelay(interval, 40, true, 0.5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(PollingSource.nextDelay(Duration.ofMinutes(10), 4, true, 0.5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(PollingSource.nextDelay(interval, 0, false, 0.0)).isEqualTo(Duration.ofSeconds(27));
        assertThat(PollingSource.nextDelay(interval, 0, false, 0.999_999)).isBetween(Duration.ofSeconds(32),
                Duration.ofSeconds(33));
    }
}
