package dev.gavel.sidecar.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed as an S3 client signs them, by the AWS SDK's own SigV4 signer, as alice in eu-west-1. */
final class Signing {

    private Signing() {}

    /** {@code method uri} with {@code body}'s hash in {@code x-amz-content-sha256}, signed in the Authorization header. */
    static SdkHttpRequest sign(String method, URI uri, String body) {
        return sign(method, uri, body, null);
    }

    /** As {@link #sign(String, URI, String)}, with a signed {@code Content-Type} unless null. */
    static SdkHttpRequest sign(String method, URI uri, String body, String contentType) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(uri).putHeader("x-amz-content-sha256", sha256Hex(bytes));
        if (bytes.length > 0) {
            unsigned.putHeader("Content-Length", Integer.toString(bytes.length));
        }
        if (contentType != null) {
            unsigned.putHeader("Content-Type", contentType);
        }
        return AwsV4HttpSigner.create().sign(r -> r.request(unsigned.build())
                .identity(AwsCredentialsIdentity.create(GatewayServer.ALICE_KEY, GatewayServer.ALICE_SECRET))
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)).request();
    }

    /** A presigned {@code GET uri}, valid five minutes: the signature in the query string. */
    static SdkHttpRequest presign(URI uri) {
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
        return AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .identity(AwsCredentialsIdentity.create(GatewayServer.ALICE_KEY, GatewayServer.ALICE_SECRET))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))).request();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
