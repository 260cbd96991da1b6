package dev.gavel.sidecar.envoy;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Check requests shaped as Envoy's HTTP ext_authz filter sends them, for a client's request that
 * the AWS SDK's own SigV4 signer signed (or that went unsigned).
 *
 * <p>What Envoy does, and so what these do: the request target whole in {@code path}; the host in
 * {@code host}; the headers with lower-case names, the HTTP/1 {@code Host} turned into the
 * pseudo-header {@code :authority} beside {@code :method}, {@code :path} and {@code :scheme}, and
 * its own {@code x-forwarded-proto} and {@code x-request-id} added; repeated headers joined with
 * commas in {@code headers}, or each on its own in {@code header_map} with the value's bytes in
 * {@code raw_value} ({@code encode_raw_headers}); the client's address in
 * {@code attributes.source}.
 */
final class EnvoyChecks {

    static final String HOST = "s3.eu-west-1.amazonaws.com";
    static final String CLIENT_ADDRESS = "203.0.113.7";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final AwsCredentialsIdentity ALICE =
            AwsCredentialsIdentity.create(TestGateways.ALICE_KEY, TestGateways.ALICE_SECRET);

    private final SdkHttpMethod method;
    private final String path;
    private final Map<String, List<String>> extraHeaders = new LinkedHashMap<>();
    private final Map<String, String> envoyHeaders = new LinkedHashMap<>();
    private byte[] body;
    private boolean rawHeaders;
    private boolean signed = true;
    private boolean tampered;
    private boolean presigned;

    private EnvoyChecks(SdkHttpMethod method, String path) {
        this.method = method;
        this.path = path;
    }

    /**
     * A request to {@code path}, already percent-encoded, with any query's values as text (the
     * SDK encodes them); alice signs it unless told otherwise.
     */
    static EnvoyChecks get(String path) {
        return new EnvoyChecks(SdkHttpMethod.GET, path);
    }

    static EnvoyChecks put(String path, String body) {
        EnvoyChecks check = new EnvoyChecks(SdkHttpMethod.PUT, path);
        check.body = body.getBytes(UTF_8);
        return check;
    }

    /** A header the client sends; a name given twice is sent twice. */
    EnvoyChecks header(String name, String value) {
        extraHeaders.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /** A header Envoy adds to the check request, after the client signed its request. */
    EnvoyChecks addedByEnvoy(String name, String value) {
        envoyHeaders.put(name, value);
        return this;
    }

    EnvoyChecks unsigned() {
        signed = false;
        return this;
    }

    /** Signed in the query string, as a presigned URL is. */
    EnvoyChecks presigned() {
        presigned = true;
        return this;
    }

    /** With the signature's last digit changed after signing. */
    EnvoyChecks tampered() {
        tampered = true;
        return this;
    }

    /** In the {@code header_map} form that Envoy sends with {@code encode_raw_headers: true}. */
    EnvoyChecks rawHeaders() {
        rawHeaders = true;
        return this;
    }

    /** The check request as Envoy builds it; its body as {@code raw_body} ({@code pack_as_bytes}). */
    CheckRequest build() {
        return build(body);
    }

    /** The check request with {@code envoyBody} as the body Envoy passes, or none for null. */
    CheckRequest build(byte[] envoyBody) {
        SdkHttpRequest sent = signed ? sign() : request();
        String target = sent.encodedPath() + sent.encodedQueryParameters().map(query -> "?" + query).orElse("");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(":authority", List.of(HOST));
        headers.put(":method", List.of(method.name()));
        headers.put(":path", List.of(target));
        headers.put(":scheme", List.of("https"));
        sent.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name.toLowerCase(Locale.ROOT), values);
            }
        });
        if (tampered) {
            String authorization = headers.get("authorization").get(0);
            char last = authorization.charAt(authorization.length() - 1);
            headers.put("authorization", List.of(authorization.substring(0, authorization.length() - 1)
                    + (last == '0' ? '1' : '0')));
        }
        headers.put("x-forwarded-proto", List.of("https"));
        headers.put("x-request-id", List.of("5f0c2e1a-envoy"));
        envoyHeaders.forEach((name, value) -> headers.put(name, List.of(value)));

        AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder().setId("1")
                .setMethod(method.name()).setPath(target).setHost(HOST).setScheme("https").setProtocol("HTTP/1.1");
        if (rawHeaders) {
            HeaderMap.Builder map = HeaderMap.newBuilder();
            headers.forEach((name, values) -> values.forEach(value -> map.addHeaders(
                    HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFrom(value, UTF_8)))));
            http.setHeaderMap(map);
        } else {
            headers.forEach((name, values) -> http.putHeaders(name, String.join(",", values)));
        }
        if (envoyBody != null) {
            http.setRawBody(ByteString.copyFrom(envoyBody)).setSize(envoyBody.length);
        }
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(peer(CLIENT_ADDRESS, 52_814))
                .setDestination(peer("10.0.0.5", 8443))
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http)))
                .build();
    }

    private static AttributeContext.Peer peer(String address, int port) {
        return AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                SocketAddress.newBuilder().setAddress(address).setPortValue(port))).build();
    }

    private SdkHttpFullRequest request() {
        SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder().method(method).protocol("https").host(HOST);
        int question = path.indexOf('?');
        http.encodedPath(question < 0 ? path : path.substring(0, question));
        if (question >= 0) {
            for (String parameter : path.substring(question + 1).split("&")) {
                int equals = parameter.indexOf('=');
                http.appendRawQueryParameter(equals < 0 ? parameter : parameter.substring(0, equals),
                        equals < 0 ? null : parameter.substring(equals + 1));
            }
        }
        http.putHeader("user-agent", "aws-sdk-java/2.57.8");
        extraHeaders.forEach(http::putHeader);
        return http.build();
    }

    private SdkHttpRequest sign() {
        SdkHttpFullRequest unsigned = request();
        return SIGNER.sign(r -> {
            r.request(unsigned).identity(ALICE)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !presigned);
            if (presigned) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10));
            }
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
        }).request();
    }
}
