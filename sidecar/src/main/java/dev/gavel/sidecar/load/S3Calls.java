package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The S3 REST requests that a gateway endpoint is driven with: the sampled checks whose action is
 * an S3 object or bucket call with a concrete resource, as the HTTP requests an S3 client sends,
 * path style, signed once with SigV4 (by the AWS SDK's own signer) when credentials are given and
 * sent unsigned, as the anonymous caller, when not. A signature stays valid for 15 minutes, so a
 * run is held to ten.
 */
final class S3Calls {

    /** One S3 request as sent: method, host, raw path and query, and headers (the signature's among them). */
    record Call(String method, String host, String rawPath, String rawQuery, Map<String, List<String>> headers) {}

    /** Credentials to sign with: a long-term key, or a session's with its token. */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        /** {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}, as AWS's tools read them; null when unset. */
        static Credentials fromEnvironment(Map<String, String> environment) {
            String id = environment.get("AWS_ACCESS_KEY_ID");
            String secret = environment.get("AWS_SECRET_ACCESS_KEY");
            if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
                return null;
            }
            String token = environment.get("AWS_SESSION_TOKEN");
            return new Credentials(id, secret, token == null || token.isEmpty() ? null : token);
        }

        @Override
        public String toString() {
            return accessKeyId;
        }
    }

    static final String HOST = "s3.localhost";
    private static final String BUCKET_ARN = "arn:aws:s3:::";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private S3Calls() {}

    /**
     * The calls for the checks that are S3 calls on concrete resources, signed with the credentials
     * (null: unsigned) for {@code region}; the other checks are left out.
     */
    static List<Call> of(List<Check> checks, Credentials credentials, String region, Clock clock) {
        List<Call> calls = new ArrayList<>();
        for (Check check : checks) {
            SdkHttpRequest request = request(check.action(), check.resource());
            if (request != null) {
                calls.add(credentials == null ? call(request) : call(sign(request, credentials, region, clock)));
            }
        }
        return calls;
    }

    /** The REST request of an S3 action on a resource, or null when it is not one this tool sends. */
    static SdkHttpRequest request(String action, String resource) {
        if (!resource.startsWith(BUCKET_ARN) || resource.indexOf('*') >= 0 || resource.indexOf('?') >= 0) {
            return action.equalsIgnoreCase("s3:ListAllMyBuckets") ? base(SdkHttpMethod.GET, "/").build() : null;
        }
        String path = resource.substring(BUCKET_ARN.length());
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? null : path.substring(slash + 1);
        if (bucket.isEmpty()) {
            return null;
        }
        String name = action.toLowerCase(Locale.ROOT);
        if (key == null || key.isEmpty()) {
            String subresource = switch (name) {
                case "s3:listbucket" -> "list-type";
                case "s3:getbucketpolicy" -> "policy";
                case "s3:getbuckettagging" -> "tagging";
                case "s3:getbucketlocation" -> "location";
                default -> null;
            };
            return subresource == null ? null : base(SdkHttpMethod.GET, "/" + bucket)
                    .putRawQueryParameter(subresource, subresource.equals("list-type") ? "2" : "").build();
        }
        String objectPath = "/" + bucket + "/" + encodeKey(key);
        return switch (name) {
            case "s3:getobject" -> base(SdkHttpMethod.GET, objectPath).build();
            case "s3:putobject" -> base(SdkHttpMethod.PUT, objectPath).build();
            case "s3:deleteobject" -> base(SdkHttpMethod.DELETE, objectPath).build();
            case "s3:getobjecttagging" -> base(SdkHttpMethod.GET, objectPath).putRawQueryParameter("tagging", "")
                    .build();
            case "s3:getobjectacl" -> base(SdkHttpMethod.GET, objectPath).putRawQueryParameter("acl", "")
                    .build();
            default -> null;
        };
    }

    private static SdkHttpRequest.Builder base(SdkHttpMethod method, String encodedPath) {
        return SdkHttpRequest.builder().method(method).protocol("https").host(HOST).encodedPath(encodedPath)
                .putHeader("x-amz-content-sha256", EMPTY_SHA256);
    }

    /** The hash of an empty payload: these calls carry none. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static String encodeKey(String key) {
        StringBuilder path = new StringBuilder(key.length() + 8);
        for (String segment : key.split("/", -1)) {
            if (!path.isEmpty() || key.startsWith("/")) {
                path.append('/');
            }
            path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                    .replace("%7E", "~"));
        }
        return key.startsWith("/") ? path.substring(1) : path.toString();
    }

    private static SdkHttpRequest sign(SdkHttpRequest request, Credentials credentials, String region, Clock clock) {
        AwsCredentialsIdentity identity = credentials.sessionToken() == null
                ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken());
        return SIGNER.sign(r -> r.request(request).identity(identity)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
    }

    private static Call call(SdkHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.putIfAbsent("Host", List.of(HOST));
        String query = request.encodedQueryParameters().orElse("");
        return new Call(request.method().name(), HOST, request.encodedPath(), query, headers);
    }
}
