package dev.gavel.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Authorizer;
import dev.gavel.eval.Decision;
import dev.gavel.sts.Credentials;
import dev.gavel.sts.SessionTokenRequest;
import dev.gavel.sts.Sts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * {@link Gateway} with {@link S3Routes} deciding S3 requests signed by the AWS SDK's own signer,
 * header-signed and presigned, with long-term and session credentials, and unsigned requests as
 * the anonymous caller, against a directory where alice may use her home prefix and the bucket
 * policy lets anyone read {@code public/}.
 */
class S3GatewayTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ACCOUNT = "111122223333";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String ALICE_KEY = "AKIAALICE00000000001";
    static final String ALICE_SECRET = "aliceSecret/K7MDENG+bPxRfiCYEXAMPLEKEY01";
    static final AwsCredentialsIdentity ALICE_CREDENTIALS = AwsCredentialsIdentity.create(ALICE_KEY, ALICE_SECRET);
    static final String HOST = "photos.s3.us-east-1.amazonaws.com";

    static final String ALICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
               "Condition": {"StringLike": {"s3:prefix": "home/alice/*"}}},
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl"],
               "Resource": "arn:aws:s3:::photos/home/alice/*"},
              {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
               "Condition": {"StringEquals": {"s3:x-amz-acl": ["public-read", "public-read-write"]}}}]}""";
    static final String BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::photos/public/*"}]}""";

    @TempDir
    Path folder;

    private Engine engine;
    private Gateway gateway;

    @BeforeEach
    void openEngine() throws Exception {
        Files.createDirectories(folder.resolve("accounts"));
        Files.writeString(folder.resolve("accounts/" + ACCOUNT + ".json"), "{\"UserDetailList\": [{\"Path\": \"/\", "
                + "\"UserName\": \"alice\", \"UserId\": \"AIDAALICE000000000001\", \"Arn\": \"" + ALICE + "\", "
                + "\"GroupList\": [], \"UserPolicyList\": [{\"PolicyName\": \"Home\", \"PolicyDocument\": "
                + ALICE_POLICY + "}], \"AttachedManagedPolicies\": [], \"Tags\": []}], \"RoleDetailList\": [], "
                + "\"Policies\": []}");
        Files.writeString(folder.resolve("access-keys.json"), "{\"AccessKeys\": [{\"AccessKeyId\": \"" + ALICE_KEY
                + "\", \"SecretAccessKey\": \"" + ALICE_SECRET + "\", \"UserArn\": \"" + ALICE + "\", \"Status\": "
                + "\"Active\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}]}");
        Files.writeString(folder.resolve("resource-policies.json"), "{\"ResourcePolicies\": [{\"ResourceArn\": "
                + "\"arn:aws:s3:::photos\", \"Account\": \"" + ACCOUNT + "\", \"Policy\": " + BUCKET_POLICY + "}, "
                + "{\"ResourceArn\": \"arn:aws:s3:::private-archive\", \"Account\": \"" + ACCOUNT + "\"}]}");
        Files.writeString(folder.resolve("session-keys.json"), "{\"SessionKeys\": [{\"KeyId\": \"k1\", \"Secret\": "
                + "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", \"CreateDate\": \"2026-01-01T00:00:00Z\"}]}");
        engine = Engine.open(folder, CLOCK);
        CountedIds ids = new CountedIds();
        gateway = new Gateway(engine, S3Routes.create(), GatewayOptions.defaults().withClock(CLOCK)
                .withRegion("us-east-1").withDecisionIds(ids::next));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Decision ids counted from one, so that a test can name the one it expects. */
    static final class CountedIds {
        private int next;

        synchronized String next() {
            return "decision-" + ++next;
        }
    }

    // ---- signed by the SDK

    @Test
    void aHeaderSignedReadOfHerOwnPrefixIsAllowed() {
        GatewayDecision decision = gateway.decide(Call.get("/home/alice/notes.txt").sign());

        assertThat(decision.allowed()).as(decision.message()).isTrue();
        assertThat(decision.status()).isEqualTo(200);
        assertThat(decision.principal()).isEqualTo(ALICE);
        assertThat(decision.mapped().action()).isEqualTo("s3:GetObject");
        assertThat(decision.mapped().resource()).isEqualTo("arn:aws:s3:::photos/home/alice/notes.txt");
        assertThat(decision.mapped().context().single("s3:authType")).isEqualTo("REST-HEADER");
        assertThat(decision.headers()).containsEntry(GatewayDecision.PRINCIPAL_HEADER, ALICE);
    }

    @Test
    void aReadOutsideHerPrefixIsDeniedWithAwsErrorBody() {
        GatewayDecision decision = gateway.decide(Call.get("/home/bob/notes.txt").sign());

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.errorCode()).isEqualTo("AccessDenied");
        assertThat(decision.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decision.errorXml()).contains("<Code>AccessDenied</Code>")
                .contains("<RequestId>" + decision.decisionId() + "</RequestId>")
                .contains("<Resource>/home/bob/notes.txt</Resource>").contains("s3:GetObject");
        assertThat(decision.headers()).containsEntry("x-amz-request-id", decision.decisionId());
    }

    @Test
    void listingIsAllowedOnlyUnderHerPrefix() {
        GatewayDecision own = gateway.decide(Call.get("/").query("list-type", "2").query("prefix", "home/alice/")
                .query("delimiter", "/").sign());
        assertThat(own.allowed()).as(own.message()).isTrue();
        assertThat(own.mapped().operation()).isEqualTo("ListObjectsV2");
        assertThat(own.mapped().context().single("s3:prefix")).isEqualTo("home/alice/");

        GatewayDecision other = gateway.decide(Call.get("/").query("list-type", "2").query("prefix", "home/bob/")
                .sign());
        assertThat(other.allowed()).isFalse();
        assertThat(other.errorCode()).isEqualTo("AccessDenied");

        GatewayDecision everything = gateway.decide(Call.get("/").query("list-type", "2").sign());
        assertThat(everything.allowed()).isFalse();
    }

    @Test
    void anUploadIsDeniedWhenItsCannedAclIsPublic() {
        GatewayDecision privately = gateway.decide(Call.put("/home/alice/photo.jpg", "jpeg bytes")
                .header("x-amz-acl", "private").sign());
        assertThat(privately.allowed()).as(privately.message()).isTrue();
        assertThat(privately.mapped().context().single("s3:x-amz-acl")).isEqualTo("private");

        GatewayDecision publicly = gateway.decide(Call.put("/home/alice/photo.jpg", "jpeg bytes")
                .header("x-amz-acl", "public-read").sign());
        assertThat(publicly.allowed()).isFalse();
        assertThat(publicly.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(publicly.message()).contains("explicit deny");
    }

    @Test
    void anUploadThatSetsTagsNeedsPutObjectTaggingAsS3Asks() {
        GatewayDecision tagged = gateway.decide(Call.put("/home/alice/photo.jpg", "jpeg bytes")
                .header("x-amz-tagging", "team=web").sign());
        assertThat(tagged.allowed()).isFalse();
        assertThat(tagged.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(tagged.message()).contains("s3:PutObjectTagging");
    }

    @Test
    void aPresignedUrlIsDecidedLikeTheRequestItSigns() {
        GatewayDecision own = gateway.decide(Call.get("/home/alice/report q3.pdf").presignedFor(Duration.ofMinutes(10))
                .sign());
        assertThat(own.allowed()).as(own.message()).isTrue();
        assertThat(own.mapped().resource()).isEqualTo("arn:aws:s3:::photos/home/alice/report q3.pdf");
        assertThat(own.mapped().context().single("s3:authType")).isEqualTo("REST-QUERY-STRING");

        GatewayDecision other = gateway.decide(Call.get("/home/bob/report.pdf").presignedFor(Duration.ofMinutes(10))
                .sign());
        assertThat(other.allowed()).isFalse();
        assertThat(other.errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    void sessionCredentialsActAsTheirUser() throws Exception {
        Sts sts = new Sts(engine.directory(), CLOCK, new SecureRandom());
        Credentials session = sts.getSessionToken(sts.credentials().resolve(ALICE_KEY, null).identity(),
                new SessionTokenRequest(null, null, null)).credentials();
        AwsCredentialsIdentity identity = AwsSessionCredentialsIdentity.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken());

        GatewayDecision header = gateway.decide(Call.get("/home/alice/notes.txt").as(identity).sign());
        assertThat(header.allowed()).as(header.message()).isTrue();
        assertThat(header.principal()).isEqualTo(ALICE);

        GatewayDecision presigned = gateway.decide(Call.get("/home/alice/notes.txt").as(identity)
                .presignedFor(Duration.ofMinutes(5)).sign());
        assertThat(presigned.allowed()).as(presigned.message()).isTrue();

        GatewayDecision denied = gateway.decide(Call.get("/home/bob/notes.txt").as(identity).sign());
        assertThat(denied.allowed()).isFalse();
    }

    // ---- the anonymous caller

    @Test
    void anAnonymousReadIsAllowedWhereTheBucketPolicySays() {
        GatewayDecision decision = gateway.decide(unsigned("GET", HOST, "/public/logo.png"));

        assertThat(decision.allowed()).as(decision.message()).isTrue();
        assertThat(decision.principal()).isEqualTo(Authorizer.ANONYMOUS);
        assertThat(decision.mapped().context().get("s3:authType")).isNull();
    }

    @Test
    void anAnonymousRequestIsDeniedElsewhere() {
        for (GatewayRequest request : List.of(unsigned("GET", HOST, "/home/alice/notes.txt"),
                unsigned("PUT", HOST, "/public/logo.png"), unsigned("GET", "gateway.internal", "/private-archive/x"),
                unsigned("GET", HOST, "/"))) {
            GatewayDecision decision = gateway.decide(request);
            assertThat(decision.allowed()).as(request.toString()).isFalse();
            assertThat(decision.status()).isEqualTo(403);
            assertThat(decision.errorXml()).contains("<Code>AccessDenied</Code>").contains("Anonymous caller");
        }
    }

    // ---- refusals before deciding

    @Test
    void aTamperedSignatureDoesNotMatch() {
        GatewayRequest signed = Call.get("/home/alice/notes.txt").sign();
        GatewayRequest tampered = new GatewayRequest(signed.method(), signed.scheme(), signed.host(),
                "/home/alice/other.txt", signed.rawQuery(), signed.headers(), signed.peerAddress(), signed.body());

        GatewayDecision decision = gateway.decide(tampered);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.errorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(decision.mapped()).isNull();
        assertThat(decision.errorXml()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        GatewayDecision decision = gateway.decide(Call.get("/home/alice/notes.txt")
                .as(AwsCredentialsIdentity.create("AKIAUNKNOWN000000001", ALICE_SECRET)).sign());

        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.errorCode()).isEqualTo("InvalidAccessKeyId");
        assertThat(decision.principal()).isNull();
    }

    @Test
    void aSkewedDateIsRefused() {
        GatewayDecision decision = gateway.decide(Call.get("/home/alice/notes.txt").at(NOW.minus(Duration.ofMinutes(20)))
                .sign());

        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.errorCode()).isEqualTo("RequestTimeTooSkewed");
    }

    @Test
    void anUnmappedSubresourceIsNotImplementedEvenWhenSigned() {
        GatewayDecision decision = gateway.decide(Call.get("/").query("website-config", "").sign());

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.status()).isEqualTo(501);
        assertThat(decision.errorCode()).isEqualTo("NotImplemented");
        assertThat(decision.principal()).isEqualTo(ALICE);
        assertThat(decision.errorXml()).contains("website-config");
    }

    // ---- helpers

    static GatewayRequest unsigned(String method, String host, String path) {
        return new GatewayRequest(method, "https", host, path, "", Map.of("Host", List.of(host)), "203.0.113.9", null);
    }

    /** An S3 request to the bucket {@code photos}, virtual-hosted, signed as the SDK's S3 client signs. */
    static final class Call {
        private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

        private final SdkHttpMethod method;
        private final String path;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private AwsCredentialsIdentity identity = ALICE_CREDENTIALS;
        private Instant signedAt = NOW;
        private Duration presignedFor;

        private Call(SdkHttpMethod method, String path) {
            this.method = method;
            this.path = SdkHttpUtils.urlEncodeIgnoreSlashes(path);
        }

        static Call get(String path) {
            return new Call(SdkHttpMethod.GET, path);
        }

        static Call put(String path, String body) {
            Call call = new Call(SdkHttpMethod.PUT, path);
            call.body = body.getBytes(UTF_8);
            return call;
        }

        Call query(String name, String value) {
            query.add(new SimpleEntry<>(name, value));
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call as(AwsCredentialsIdentity value) {
            identity = value;
            return this;
        }

        Call at(Instant value) {
            signedAt = value;
            return this;
        }

        Call presignedFor(Duration value) {
            presignedFor = value;
            return this;
        }

        GatewayRequest sign() {
            SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder().method(method).protocol("https").host(HOST)
                    .encodedPath(path);
            query.forEach(parameter -> http.appendRawQueryParameter(parameter.getKey(), parameter.getValue()));
            headers.forEach(http::putHeader);
            SdkHttpFullRequest unsigned = http.build();
            SignedRequest signed = SIGNER.sign(r -> {
                r.request(unsigned).identity(identity)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, presignedFor == null);
                if (body != null) {
                    r.payload(ContentStreamProvider.fromByteArray(body));
                }
                if (presignedFor != null) {
                    r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
                }
            });
            SdkHttpRequest sent = signed.request();
            return new GatewayRequest(sent.method().name(), "https", HOST, sent.encodedPath(),
                    sent.encodedQueryParameters().orElse(""), sent.headers(), "198.51.100.7",
                    signed.payload().map(Call::readAll).orElse(null));
        }

        private static byte[] readAll(ContentStreamProvider payload) {
            try (InputStream in = payload.newStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
