package dev.gavel.sidecar.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS SDK's S3 client through real NGINX, configured by {@code scripts/nginx-gavel.conf} itself
 * (only its three addresses replaced), with Gavel's HTTP API on a Unix socket deciding and a
 * recording backend behind. NGINX is Debian's, installed when missing; the tests are skipped,
 * saying why, when it cannot be.
 *
 * <p>The client sends PutObject's body whole ({@code chunkedEncodingEnabled(false)}) and adds
 * checksums only where S3 requires them, so that over plain HTTP the SDK signs the body's SHA-256
 * in {@code x-amz-content-sha256} instead of an {@code aws-chunked} stream with trailers: the
 * signature then covers everything Gavel sees.
 */
class NginxS3Test {

    static final Path CONFIG = Path.of("scripts", "nginx-gavel.conf");

    @TempDir
    static Path folder;
    static GatewayServer gavel;
    static RecordingBackend backend;
    static Nginx nginx;
    static URI endpoint;
    static S3Client s3;
    static S3Presigner presigner;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        String binary;
        try {
            binary = Nginx.locate();
        } catch (IllegalStateException e) {
            Assumptions.assumeTrue(false, "NGINX tests skipped: " + e.getMessage());
            return;
        }
        gavel = new GatewayServer(folder);
        backend = new RecordingBackend();
        int port = Nginx.freePort();
        String config = Files.readString(CONFIG, StandardCharsets.UTF_8);
        config = replaceOnce(config, "unix:/run/gavel/http.sock", "unix:" + gavel.socket().toAbsolutePath());
        config = replaceOnce(config, "127.0.0.1:9000", backend.address());
        config = replaceOnce(config, "listen 8080;", "listen 127.0.0.1:" + port + ";");
        nginx = Nginx.start(binary, folder.resolve("nginx"), config, port);
        endpoint = URI.create("http://127.0.0.1:" + port);
        StaticCredentialsProvider alice = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(GatewayServer.ALICE_KEY, GatewayServer.ALICE_SECRET));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true)
                .chunkedEncodingEnabled(false).build();
        s3 = S3Client.builder().endpointOverride(endpoint).region(Region.EU_WEST_1).credentialsProvider(alice)
                .serviceConfiguration(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.EU_WEST_1).credentialsProvider(alice)
                .serviceConfiguration(pathStyle).build();
    }

    /** The config with {@code literal} replaced, which must be there exactly once: the documented file and the test must not drift apart. */
    private static String replaceOnce(String config, String literal, String replacement) {
        int first = config.indexOf(literal);
        assertThat(first).as("%s in %s", literal, CONFIG).isNotNegative();
        assertThat(config.indexOf(literal, first + 1)).as("a second %s in %s", literal, CONFIG).isNegative();
        return config.replace(literal, replacement);
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
            presigner.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (gavel != null) {
            gavel.close();
        }
    }

    @Test
    void anAllowedPutAndGetReachTheBackendNamingTheCaller() {
        s3.putObject(r -> r.bucket("photos").key("uploads/note.txt"), RequestBody.fromString("hello, backend"));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket("photos").key("uploads/note.txt"));

        RecordingBackend.Received put = backend.receivedFor("/photos/uploads/note.txt").get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo("hello, backend");
        assertThat(put.header("x-gavel-principal")).containsExactly(GatewayServer.ALICE);
        assertThat(put.header("x-gavel-decision-id")).singleElement().asString().isNotBlank();
        assertThat(got.asUtf8String()).isEqualTo("object at /photos/uploads/note.txt");
        assertThat(got.response().metadata()).containsEntry("principal", GatewayServer.ALICE);
    }

    @Test
    void aDeniedGetIsAccessDeniedWithTheDecisionIdAsRequestIdAndNeverReachesTheBackend() {
        S3Exception denied = catchThrowableOfType(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket("photos").key("private/diary.txt")));

        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(denied.awsErrorDetails().errorMessage()).contains(GatewayServer.ALICE, "explicit deny");
        assertThat(denied.requestId()).isNotBlank().isEqualTo(
                denied.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-gavel-decision-id").orElseThrow());
        assertThat(backend.receivedFor("/photos/private/diary.txt")).isEmpty();
    }

    @Test
    void aRefusedRequestKeepsItsAwsStatus() {
        S3Exception refused = catchThrowableOfType(S3Exception.class, () -> s3.deleteObjects(r -> r.bucket("photos")
                .delete(d -> d.objects(ObjectIdentifier.builder().key("uploads/note.txt").build()))));

        assertThat(refused.statusCode()).isEqualTo(501);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
        assertThat(backend.receivedFor("/photos?delete")).isEmpty();
    }

    @Test
    void aPresignedGetPassesAndATamperedOneIsSignatureDoesNotMatch() throws Exception {
        URI presigned = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("photos").key("shared/map.png"))).url().toURI();

        HttpResponse<String> passed = get(presigned);
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).isEqualTo("object at /photos/shared/map.png");
        assertThat(backend.receivedFor(presigned.getRawPath() + "?" + presigned.getRawQuery()))
                .singleElement().extracting(request -> request.header("x-gavel-principal"))
                .isEqualTo(List.of(GatewayServer.ALICE));

        URI tampered = URI.create(presigned.toString().replace("/photos/shared/map.png", "/photos/shared/other.png"));
        HttpResponse<String> refused = get(tampered);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>")
                .contains("<RequestId>" + refused.headers().firstValue("x-amz-request-id").orElseThrow() + "</RequestId>");
        assertThat(backend.receivedFor(tampered.getRawPath() + "?" + tampered.getRawQuery())).isEmpty();
    }

    @Test
    void aPrincipalHeaderTheClientForgesNeverReachesTheBackend() throws Exception {
        String forged = "arn:aws:iam::111122223333:root";
        s3.getObjectAsBytes(r -> r.bucket("photos").key("summer/forged.jpg")
                .overrideConfiguration(o -> o.putHeader("x-gavel-principal", forged)
                        .putHeader("x-gavel-decision-id", "forged")));
        RecordingBackend.Received signed = backend.receivedFor("/photos/summer/forged.jpg").get(0);
        assertThat(signed.header("x-gavel-principal")).containsExactly(GatewayServer.ALICE);
        assertThat(signed.header("x-gavel-decision-id")).doesNotContain("forged").hasSize(1);

        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(endpoint.resolve("/photos/summer/anonymous.jpg"))
                .header("x-gavel-principal", forged).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Code>AccessDenied</Code>", "Anonymous caller");
        assertThat(backend.receivedFor("/photos/summer/anonymous.jpg")).isEmpty();
    }

    @Test
    void theClientsAddressIsTheOneNginxSawWhateverForwardedForItSends() {
        // photos/office/ is denied outside 10.0.0.0/8 and loopback: allowed only if 127.0.0.1 reached Gavel.
        s3.getObjectAsBytes(r -> r.bucket("photos").key("office/plan.pdf")
                .overrideConfiguration(o -> o.putHeader("X-Forwarded-For", "192.0.2.10")));

        assertThat(backend.receivedFor("/photos/office/plan.pdf")).hasSize(1);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
