package dev.gavel.sts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Requests signed by the AWS SDK for Java v2's own {@link AwsV4HttpSigner}, which the verifier
 * must accept, and the same requests tampered with, which it must refuse. A few vectors from
 * AWS's Signature Version 4 test suite cover what the SDK never sends: a {@code Date} header, and
 * a body without {@code x-amz-content-sha256}.
 */
class SigV4VerifierTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String USER_KEY = "AKIAGAVELEXAMPLE0001";
    static final String USER_SECRET = "gavelUserSecret/K7MDENG+bPxRfiCYEXAMPLE1";
    static final String SESSION_KEY = "ASIAGAVELEXAMPLE0002";
    static final String SESSION_SECRET = "gavelSessionSecret/MDENG+bPxRfiCYEXAMPL2";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEGavelSessionToken//////////wEaCXVzLWVhc3QtMSJH";
    static final String SUITE_KEY = "AKIDEXAMPLE";
    static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    static final AwsCredentialsIdentity USER = AwsCredentialsIdentity.create(USER_KEY, USER_SECRET);
    static final AwsCredentialsIdentity SESSION = AwsSessionCredentialsIdentity.create(SESSION_KEY, SESSION_SECRET,
            SESSION_TOKEN);

    static final MapSecrets SECRETS = new MapSecrets(
            Map.of(USER_KEY, USER_SECRET, SESSION_KEY, SESSION_SECRET, SUITE_KEY, SUITE_SECRET),
            Map.of(SESSION_KEY, SESSION_TOKEN));
    static final SigV4Verifier VERIFIER = new SigV4Verifier(SECRETS, CLOCK);
    static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    static final String MISMATCH = "The request signature we calculated does not match the signature you provided."
            + " Check your AWS Secret Access Key and signing method.";

    /** Secrets by access key id; a session's key needs its own token, a long-term key none. */
    record MapSecrets(Map<String, String> secrets, Map<String, String> tokens) implements SigningSecrets {

        @Override
        public String secretFor(String accessKeyId, String sessionToken) throws StsException {
            String secret = secrets.get(accessKeyId);
            if (secret == null) {
                throw new StsException("InvalidClientTokenId",
                        "The AWS access key ID you provided does not exist in our records.");
            }
            if (!Objects.equals(tokens.get(accessKeyId), sessionToken)) {
                throw new StsException("InvalidClientTokenId",
                        "The security token included in the request is invalid.");
            }
            return secret;
        }
    }

    /** A request as a client builds it, signed by the SDK as its service client would sign it. */
    static final class Call {
        final String service;
        String region = "us-east-1";
        String host;
        SdkHttpMethod method = SdkHttpMethod.GET;
        String path = "/";
        final List<Map.Entry<String, String>> query = new ArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body;
        AwsCredentialsIdentity identity = USER;
        Instant signedAt = NOW;
        Duration presignedFor;
        boolean signPayload = true;

        Call(String service) {
            this.service = service;
        }

        static Call to(String service) {
            return new Call(service);
        }

        Call region(String value) {
            region = value;
            return this;
        }

        Call method(SdkHttpMethod value) {
            method = value;
            return this;
        }

        /** The path before encoding; the SDK's clients encode it this way. */
        Call path(String value) {
            path = SdkHttpUtils.urlEncodeIgnoreSlashes(value);
            return this;
        }

        Call query(String name, String value) {
            query.add(new SimpleEntry<>(name, value));
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call body(String value) {
            return body(value.getBytes(UTF_8));
        }

        Call body(byte[] value) {
            body = value;
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

        Call unsignedPayload() {
            signPayload = false;
            return this;
        }

        boolean s3() {
            return service.equals("s3");
        }

        SignedRequest sign() {
            String endpoint = host != null ? host
                    : s3() ? "examplebucket.s3." + region + ".amazonaws.com"
                    : service + "." + region + ".amazonaws.com";
            SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder().method(method).protocol("https")
                    .host(endpoint).encodedPath(path);
            query.forEach(parameter -> http.appendRawQueryParameter(parameter.getKey(), parameter.getValue()));
            headers.forEach(http::putHeader);
            SdkHttpFullRequest unsigned = http.build();
            software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = SIGNER.sign(r -> {
                r.request(unsigned).identity(identity)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3())
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3())
                        // S3's presigner leaves the payload unsigned, as S3 expects of a presigned URL.
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED,
                                signPayload && !(s3() && presignedFor != null));
                if (body != null) {
                    r.payload(ContentStreamProvider.fromByteArray(body));
                }
                if (presignedFor != null) {
                    r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
                }
            });
            SdkHttpRequest sent = signed.request();
            byte[] sentBody = signed.payload().map(Call::readAll).orElse(null);
            return new SignedRequest(sent.method().name(), sent.encodedPath(),
                    sent.encodedQueryParameters().orElse(null), sent.headers(), sentBody);
        }

        private static byte[] readAll(ContentStreamProvider payload) {
            try (InputStream in = payload.newStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- accepted

    static Stream<Arguments> clients() {
        return Stream.of(
                Arguments.of("sts GetCallerIdentity", Call.to("sts").method(SdkHttpMethod.POST)
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .body("Action=GetCallerIdentity&Version=2011-06-15")),
                Arguments.of("sqs SendMessage, JSON", Call.to("sqs").region("eu-west-1").method(SdkHttpMethod.POST)
                        .header("Content-Type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "AmazonSQS.SendMessage")
                        .body("{\"QueueUrl\":\"https://sqs.eu-west-1.amazonaws.com/111122223333/orders\","
                                + "\"MessageBody\":\"caf\u00e9 \u2615\"}")),
                Arguments.of("dynamodb GetItem", Call.to("dynamodb").region("ap-southeast-2")
                        .method(SdkHttpMethod.POST).header("Content-Type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                        .body("{\"TableName\":\"Orders\",\"Key\":{\"id\":{\"S\":\"42\"}}}")),
                Arguments.of("execute-api GET with a query", Call.to("execute-api").region("us-west-2")
                        .path("/prod/pets").query("type", "dog").query("page", "2")),
                Arguments.of("execute-api DELETE", Call.to("execute-api").region("ca-central-1")
                        .method(SdkHttpMethod.DELETE).path("/prod/pets/42")),
                Arguments.of("execute-api PUT, JSON", Call.to("execute-api").region("sa-east-1")
                        .method(SdkHttpMethod.PUT).path("/v1/items/7").header("Content-Type", "application/json")
                        .body("{\"name\": \"widget\", \"tags\": [\"a\", \"b\"]}")),
                Arguments.of("s3 PutObject, binary", Call.to("s3").method(SdkHttpMethod.PUT).path("/reports/q3.bin")
                        .header("Content-Type", "application/octet-stream").body(binary(4096))),
                Arguments.of("s3 HeadObject", Call.to("s3").region("eu-central-1").method(SdkHttpMethod.HEAD)
                        .path("/reports/q3.csv")),
                Arguments.of("s3 DeleteObject", Call.to("s3").region("ap-northeast-1").method(SdkHttpMethod.DELETE)
                        .path("/reports/old.csv")),
                Arguments.of("s3 ListObjectsV2", Call.to("s3").region("us-east-2").query("list-type", "2")
                        .query("prefix", "reports/").query("delimiter", "/")),
                Arguments.of("s3 GET, empty body", Call.to("s3").path("/").body(new byte[0])),
                Arguments.of("s3 unsigned payload", Call.to("s3").method(SdkHttpMethod.PUT).path("/big.bin")
                        .unsignedPayload().body(binary(1024))),
                Arguments.of("a header with runs of spaces and a tab", Call.to("execute-api").path("/prod/")
                        .header("X-Custom", "  several   spaces\tand a tab  ")),
                Arguments.of("session credentials", Call.to("sqs").method(SdkHttpMethod.POST).as(SESSION)
                        .header("Content-Type", "application/x-amz-json-1.0").body("{}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void acceptsWhatTheSdkSigns(String name, Call call) throws StsException {
        SignedRequest request = call.sign();

        VerifiedSignature verified = VERIFIER.verify(request);

        assertThat(verified.accessKeyId()).isEqualTo(call.identity.accessKeyId());
        assertThat(verified.region()).isEqualTo(call.region);
        assertThat(verified.service()).isEqualTo(call.service);
        assertThat(verified.signedAt()).isEqualTo(NOW);
        assertThat(verified.presigned()).isFalse();
        assertThat(verified.sessionToken()).isEqualTo(call.identity == SESSION ? SESSION_TOKEN : null);
    }

    static Stream<String> paths() {
        return Stream.of("/my file.txt", "/\u00fcn\u00efc\u00f8d\u00e9/\u65e5\u672c\u8a9e.txt",
                "/a+b=c&d;e,f@g:h$!'()*[]{}|^`\"<>#%", "/folder/../x/./y", "/double//slash/", "/trailing/",
                "/tilde~and-dash_and.dot", "/a/%2F/encoded-looking%20name");
    }

    @ParameterizedTest(name = "s3 {0}")
    @MethodSource("paths")
    void acceptsS3PathsAsSent(String path) throws StsException {
        SignedRequest request = Call.to("s3").method(SdkHttpMethod.PUT).path(path).body("x").sign();
        assertThat(VERIFIER.verify(request).service()).isEqualTo("s3");
    }

    @ParameterizedTest(name = "execute-api {0}")
    @MethodSource("paths")
    void acceptsOtherPathsNormalisedAndEncodedTwice(String path) throws StsException {
        SignedRequest request = Call.to("execute-api").path(path).sign();
        assertThat(VERIFIER.verify(request).service()).isEqualTo("execute-api");
    }

    @Test
    void s3KeepsDotSegmentsWhereOtherServicesResolveThem() throws StsException {
        SignedRequest s3 = Call.to("s3").path("/folder/../x/./y").sign();
        assertThat(refusal(VERIFIER, withPath(s3, "/x/y")).code()).isEqualTo("SignatureDoesNotMatch");

        SignedRequest api = Call.to("execute-api").path("/folder/../x/./y").sign();
        assertThat(VERIFIER.verify(withPath(api, "/x/y")).service()).isEqualTo("execute-api");
        assertThat(VERIFIER.verify(withPath(api, "//x//y")).service()).isEqualTo("execute-api");
        assertThat(refusal(VERIFIER, withPath(api, "/x/y/")).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "sqs"})
    void acceptsRepeatedEmptyAndEncodedQueryParameters(String service) throws StsException {
        SignedRequest request = Call.to(service).query("x", "2").query("x", "1").query("x", "").query("acl", null)
                .query("empty", "").query("Zebra", "upper case sorts first").query("sp ace", "a b+c")
                .query("\u00fc", "\u65e5\u672c").query("tilde~", "~*'!").sign();
        assertThat(VERIFIER.verify(request).service()).isEqualTo(service);
    }

    @Test
    void aQueryNameOrValueSignsAlikeHoweverItIsEncoded() throws StsException {
        SignedRequest request = Call.to("execute-api").path("/prod/find").query("q", "a~b c").sign();
        assertThat(request.rawQuery()).isEqualTo("q=a~b%20c");
        assertThat(VERIFIER.verify(withQuery(request, "%71=a%7Eb%20c")).accessKeyId()).isEqualTo(USER_KEY);
    }

    @Test
    void anUnsignedPayloadIsNotChecked() throws StsException {
        SignedRequest request = Call.to("s3").method(SdkHttpMethod.PUT).path("/big.bin").unsignedPayload()
                .body("original").sign();
        assertThat(request.headerValues("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
        assertThat(VERIFIER.verify(withBody(request, "replaced".getBytes(UTF_8))).accessKeyId()).isEqualTo(USER_KEY);
    }

    @Test
    void aStreamedBodyIsTakenOnItsHash() throws StsException {
        SignedRequest request = Call.to("s3").method(SdkHttpMethod.PUT).path("/stream.bin").body(binary(100)).sign();
        assertThat(VERIFIER.verify(withBody(request, null)).accessKeyId()).isEqualTo(USER_KEY);
    }

    @Test
    void anUnsignedHeaderMayBeAddedOnTheWay() throws StsException {
        SignedRequest request = Call.to("sqs").method(SdkHttpMethod.POST).body("{}").sign();
        assertThat(VERIFIER.verify(withHeader(request, "X-Forwarded-For", "203.0.113.7")).service()).isEqualTo("sqs");
    }

    // ---- AWS's test suite: what the SDK never sends

    @Test
    void acceptsTheSuitesDateHeaderAndRelativePath() throws StsException {
        SigV4Verifier verifier = new SigV4Verifier(SECRETS,
                Clock.fixed(Instant.parse("2011-09-09T23:40:00Z"), ZoneOffset.UTC));
        String authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request,"
                + " SignedHeaders=date;host,"
                + " Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470";
        Map<String, List<String>> headers = Map.of("Host", List.of("host.foo.com"),
                "Date", List.of("Mon, 09 Sep 2011 23:36:00 GMT"), "Authorization", List.of(authorization));

        VerifiedSignature vanilla = verifier.verify(new SignedRequest("GET", "/", null, headers, null));
        assertThat(vanilla.signedAt()).isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
        assertThat(vanilla.service()).isEqualTo("host");
        assertThat(verifier.verify(new SignedRequest("GET", "/foo/bar/../..", null, headers, null)).region())
                .isEqualTo("us-east-1");
        assertThat(refusal(verifier, new SignedRequest("GET", "/foo/bar/..", null, headers, null)).code())
                .isEqualTo("SignatureDoesNotMatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "//", "/./", "/example/..", "/example1/example2/../..", "/example1///.././.."})
    void acceptsTheSuitesPathsThatNormaliseToTheRoot(String path) throws StsException {
        SigV4Verifier verifier = new SigV4Verifier(SECRETS,
                Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));
        Map<String, List<String>> headers = Map.of("Host", List.of("example.amazonaws.com"),
                "X-Amz-Date", List.of("20150830T123600Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256"
                        + " Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                        + " SignedHeaders=host;x-amz-date,"
                        + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        assertThat(verifier.verify(new SignedRequest("GET", path, null, headers, null)).service()).isEqualTo("service");
        assertThat(refusal(verifier, new SignedRequest("GET", "/example", null, headers, null)).code())
                .isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void acceptsTheSuitesFormBodyHashedByTheVerifier() throws StsException {
        SigV4Verifier verifier = new SigV4Verifier(SECRETS,
                Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));
        Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/x-www-form-urlencoded"),
                "Host", List.of("example.amazonaws.com"), "X-Amz-Date", List.of("20150830T123600Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256"
                        + " Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                        + " SignedHeaders=content-type;host;x-amz-date,"
                        + " Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
        SignedRequest request = new SignedRequest("POST", "/", "", headers, "Param1=value1".getBytes(UTF_8));

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo(SUITE_KEY);
        StsException tampered = refusal(verifier, withBody(request, "Param1=value2".getBytes(UTF_8)));
        assertThat(tampered.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(tampered.getMessage()).isEqualTo(MISMATCH);
    }

    // ---- presigned URLs

    @Test
    void acceptsAPresignedS3Url() throws StsException {
        SignedRequest request = Call.to("s3").region("us-west-2").path("/reports/q3 final.csv")
                .presignedFor(Duration.ofHours(1)).sign();
        assertThat(request.rawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=3600");
        assertThat(request.headerValues("Authorization")).isEmpty();

        VerifiedSignature verified = VERIFIER.verify(request);
        assertThat(verified.presigned()).isTrue();
        assertThat(verified.region()).isEqualTo("us-west-2");
        assertThat(verified.signedAt()).isEqualTo(NOW);
        assertThat(verifierAt(NOW.plus(Duration.ofMinutes(59))).verify(request).presigned()).isTrue();
    }

    @Test
    void acceptsAPresignedUrlWithASessionTokenAndAQuery() throws StsException {
        SignedRequest request = Call.to("s3").as(SESSION).path("/shared/file.txt")
                .query("response-content-disposition", "attachment; filename=\"file.txt\"")
                .query("versionId", "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd").presignedFor(Duration.ofDays(7)).sign();
        assertThat(request.rawQuery()).contains("X-Amz-Security-Token=");

        VerifiedSignature verified = verifierAt(NOW.plus(Duration.ofDays(6))).verify(request);
        assertThat(verified.sessionToken()).isEqualTo(SESSION_TOKEN);
        assertThat(verified.accessKeyId()).isEqualTo(SESSION_KEY);
    }

    /** The token {@code aws eks get-token} makes: a presigned STS GetCallerIdentity with a signed extra header. */
    @Test
    void acceptsAPresignedStsCall() throws StsException {
        SignedRequest request = Call.to("sts").query("Action", "GetCallerIdentity").query("Version", "2011-06-15")
                .header("x-k8s-aws-id", "prod-cluster").presignedFor(Duration.ofSeconds(60)).sign();
        assertThat(VERIFIER.verify(request).service()).isEqualTo("sts");
        assertThat(refusal(VERIFIER, withHeader(request, "x-k8s-aws-id", "other-cluster")).code())
                .isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aPresignedUrlExpiresAtItsDatePlusExpires() {
        SignedRequest request = Call.to("s3").path("/q3.csv").presignedFor(Duration.ofHours(1)).sign();
        for (Instant now : List.of(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(2)))) {
            StsException refused = refusal(verifierAt(now), request);
            assertThat(refused.code()).isEqualTo("AccessDenied");
            assertThat(refused.getMessage()).isEqualTo("Request has expired");
        }
    }

    @Test
    void aPresignedUrlMayNotBeDatedMoreThanFifteenMinutesAhead() throws StsException {
        SignedRequest soon = Call.to("s3").path("/q3.csv").at(NOW.plus(Duration.ofMinutes(15)))
                .presignedFor(Duration.ofHours(1)).sign();
        assertThat(VERIFIER.verify(soon).signedAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));

        SignedRequest future = Call.to("s3").path("/q3.csv").at(NOW.plus(Duration.ofMinutes(16)))
                .presignedFor(Duration.ofHours(1)).sign();
        StsException refused = refusal(VERIFIER, future);
        assertThat(refused.code()).isEqualTo("AccessDenied");
        assertThat(refused.getMessage()).isEqualTo("Request is not valid yet");
    }

    @Test
    void aPresignedUrlNeedsEveryParameterAndAnExpiryUpToAWeek() {
        SignedRequest request = Call.to("s3").path("/q3.csv").presignedFor(Duration.ofHours(1)).sign();
        String query = request.rawQuery();

        StsException missing = refusal(VERIFIER,
                withQuery(request, query.replaceAll("&?X-Amz-Signature=[0-9a-f]+", "")));
        assertThat(missing.code()).isEqualTo("IncompleteSignature");
        assertThat(missing.getMessage()).endsWith("missing X-Amz-Signature");

        for (String expires : List.of("0", "604801", "-5", "ten")) {
            StsException refused = refusal(VERIFIER, withQuery(request,
                    query.replace("X-Amz-Expires=3600", "X-Amz-Expires=" + expires)));
            assertThat(refused.code()).as(expires).isEqualTo("IncompleteSignature");
            assertThat(refused.getMessage()).contains("X-Amz-Expires");
        }
        assertThat(refusal(VERIFIER, withQuery(request, query.replace("X-Amz-Expires=3600", "X-Amz-Expires=604800")))
                .code()).isEqualTo("SignatureDoesNotMatch");

        StsException twice = refusal(VERIFIER, withQuery(request, query + "&X-Amz-Date=20261128T103000Z"));
        assertThat(twice.code()).isEqualTo("IncompleteSignature");
    }

    @Test
    void aPresignedUrlRefusesTampering() {
        SignedRequest request = Call.to("s3").path("/reports/q3.csv").query("versionId", "1")
                .presignedFor(Duration.ofHours(1)).sign();
        assertThat(refusal(VERIFIER, withPath(request, "/reports/q4.csv")).code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withQuery(request, request.rawQuery().replace("versionId=1", "versionId=2")))
                .code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withQuery(request, request.rawQuery() + "&extra=1")).code())
                .isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void onlyOneWayToAuthenticate() {
        SignedRequest presigned = Call.to("s3").path("/q3.csv").presignedFor(Duration.ofHours(1)).sign();
        SignedRequest signed = Call.to("s3").path("/q3.csv").sign();
        SignedRequest both = withHeader(presigned, "Authorization", signed.headerValues("Authorization").get(0));
        assertThat(refusal(VERIFIER, both).code()).isEqualTo("IncompleteSignature");

        SignedRequest neither = withHeader(signed, "Authorization", null);
        StsException refused = refusal(VERIFIER, neither);
        assertThat(refused.code()).isEqualTo("MissingAuthenticationToken");
        assertThat(refused.getMessage()).isEqualTo("Request is missing Authentication Token");
    }

    // ---- refused

    @Test
    void refusesAWrongSecret() {
        SignedRequest request = Call.to("sts").method(SdkHttpMethod.POST)
                .as(AwsCredentialsIdentity.create(USER_KEY, "notTheSecret/K7MDENG+bPxRfiCYEXAMPLE1")).body("x=1")
                .sign();
        StsException refused = refusal(VERIFIER, request);
        assertThat(refused.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refused.getMessage()).isEqualTo(MISMATCH);
    }

    @Test
    void refusesATamperedRequest() {
        SignedRequest request = Call.to("sqs").method(SdkHttpMethod.POST).path("/111122223333/orders")
                .query("Action", "SendMessage").header("X-Amz-Target", "AmazonSQS.SendMessage")
                .header("Content-Type", "application/x-amz-json-1.0").body("{\"MessageBody\":\"pay 10\"}").sign();

        assertThat(refusal(VERIFIER, withHeader(request, "X-Amz-Target", "AmazonSQS.PurgeQueue")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withHeader(request, "Host", "sqs.us-east-2.amazonaws.com")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withPath(request, "/111122223333/payments")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withPath(request, "/111122223333/orders/")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withQuery(request, "Action=DeleteQueue")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withQuery(request, "Action=SendMessage&Action=DeleteQueue")).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withQuery(request, "")).code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withHeader(request, "Authorization",
                request.headerValues("Authorization").get(0).replace("sqs/aws4_request", "sns/aws4_request"))).code())
                .isEqualTo("SignatureDoesNotMatch");

        // The SDK sends x-amz-content-sha256, so a new body no longer matches its signed hash.
        StsException body = refusal(VERIFIER, withBody(request, "{\"MessageBody\":\"pay 1000\"}".getBytes(UTF_8)));
        assertThat(body.code()).isEqualTo("XAmzContentSHA256Mismatch");
        String otherHash = "0000000000000000000000000000000000000000000000000000000000000000";
        assertThat(refusal(VERIFIER, withHeader(request, "x-amz-content-sha256", otherHash)).code())
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(refusal(VERIFIER, withHeader(request, "x-amz-content-sha256", "sure")).code())
                .isEqualTo("InvalidArgument");
    }

    @Test
    void refusesATamperedBinaryBody() {
        byte[] original = binary(2048);
        SignedRequest request = Call.to("s3").method(SdkHttpMethod.PUT).path("/blob.bin").body(original).sign();
        byte[] flipped = original.clone();
        flipped[1000] ^= 0x01;
        assertThat(refusal(VERIFIER, withBody(request, flipped)).code()).isEqualTo("XAmzContentSHA256Mismatch");
    }

    @Test
    void hostMustBeSigned() {
        SignedRequest request = Call.to("execute-api").path("/prod/pets").sign();
        String authorization = request.headerValues("Authorization").get(0);
        assertThat(authorization).contains("SignedHeaders=host;");

        StsException refused = refusal(VERIFIER,
                withHeader(request, "Authorization", authorization.replace("SignedHeaders=host;", "SignedHeaders=")));
        assertThat(refused.code()).isEqualTo("IncompleteSignature");
        assertThat(refused.getMessage())
                .isEqualTo("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void aSignedHeaderMustArrive() {
        SignedRequest request = Call.to("dynamodb").method(SdkHttpMethod.POST)
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem").body("{}").sign();
        StsException refused = refusal(VERIFIER, withHeader(request, "X-Amz-Target", null));
        assertThat(refused.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refused.getMessage()).contains("x-amz-target");
    }

    @Test
    void refusesAnUnknownKeyWithTheSecretsOwnError() {
        SignedRequest request = Call.to("sts").as(AwsCredentialsIdentity.create("AKIAUNKNOWN000000000", "whatever"))
                .sign();
        StsException refused = refusal(VERIFIER, request);
        assertThat(refused.code()).isEqualTo("InvalidClientTokenId");
        assertThat(refused.getMessage()).isEqualTo("The AWS access key ID you provided does not exist in our records.");
    }

    @Test
    void refusesASessionKeyWithAnotherToken() {
        SignedRequest request = Call.to("sts").as(AwsSessionCredentialsIdentity.create(SESSION_KEY, SESSION_SECRET,
                "AnotherSessionsToken")).sign();
        assertThat(refusal(VERIFIER, request).code()).isEqualTo("InvalidClientTokenId");
        SignedRequest withoutToken = Call.to("sts").as(AwsCredentialsIdentity.create(SESSION_KEY, SESSION_SECRET))
                .sign();
        assertThat(refusal(VERIFIER, withoutToken).code()).isEqualTo("InvalidClientTokenId");
    }

    @Test
    void aSignatureHoldsFifteenMinutesEitherWay() throws StsException {
        for (Duration offset : List.of(Duration.ofMinutes(-15), Duration.ofMinutes(15), Duration.ofSeconds(-1))) {
            SignedRequest request = Call.to("sts").at(NOW.plus(offset)).sign();
            assertThat(VERIFIER.verify(request).signedAt()).isEqualTo(NOW.plus(offset));
        }

        Duration skew = Duration.ofMinutes(15).plusSeconds(1);
        StsException late = refusal(VERIFIER, Call.to("sts").at(NOW.minus(skew)).sign());
        assertThat(late.code()).isEqualTo("RequestTimeTooSkewed");
        assertThat(late.getMessage()).isEqualTo("Signature expired: 20261128T101459Z is now earlier than"
                + " 20261128T101500Z (20261128T103000Z - 15 min.)");

        StsException early = refusal(VERIFIER, Call.to("sts").at(NOW.plus(skew)).sign());
        assertThat(early.code()).isEqualTo("RequestTimeTooSkewed");
        assertThat(early.getMessage()).isEqualTo("Signature not yet current: 20261128T104501Z is still later than"
                + " 20261128T104500Z (20261128T103000Z + 15 min.)");

        Instant twoHoursAgo = NOW.minus(Duration.ofHours(2));
        SignedRequest old = Call.to("sts").at(twoHoursAgo).sign();
        assertThat(refusal(VERIFIER, old).code()).isEqualTo("RequestTimeTooSkewed");
        assertThat(verifierAt(twoHoursAgo).verify(old).signedAt()).isEqualTo(twoHoursAgo);
    }

    static Stream<Arguments> malformedAuthorizations() {
        String credential = "Credential=" + USER_KEY + "/20261128/us-east-1/sts/aws4_request";
        String signature = "Signature=" + "ab".repeat(32);
        return Stream.of(
                Arguments.of("", "Unsupported AWS 'algorithm'"),
                Arguments.of("AWS4-HMAC-SHA256", "requires 'Credential' parameter"),
                Arguments.of("AWS4-HMAC-SHA256 " + credential,
                        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires"
                                + " 'Signature' parameter."),
                Arguments.of("AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host;x-amz-date, Signature=",
                        "requires 'Signature' parameter"),
                Arguments.of("AWS " + USER_KEY + ":frJIUN8DYpKDtOLCwo//yllqDzg=", "Unsupported AWS 'algorithm': 'AWS'"),
                Arguments.of("AWS4-ECDSA-P256-SHA256 " + credential, "Unsupported AWS 'algorithm'"),
                Arguments.of("AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host, " + signature + ", " + signature,
                        "more than one 'Signature'"),
                Arguments.of("AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host, " + signature + ", Extra=1",
                        "unknown part 'Extra'"),
                Arguments.of("AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host, " + signature + ", junk",
                        "not of the form name=value"),
                Arguments.of("AWS4-HMAC-SHA256 Credential=" + USER_KEY + "/20261128/us-east-1/aws4_request,"
                        + " SignedHeaders=host, " + signature, "Credential must have the form"),
                Arguments.of("AWS4-HMAC-SHA256 Credential=" + USER_KEY + "//us-east-1/sts/aws4_request,"
                        + " SignedHeaders=host, " + signature, "Credential must have the form"),
                Arguments.of("AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host;;x-amz-date, " + signature,
                        "SignedHeaders must be header names"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedAuthorizations")
    void refusesAMalformedAuthorizationHeader(String authorization, String message) {
        SignedRequest request = withHeader(Call.to("sts").sign(), "Authorization", authorization);
        StsException refused = refusal(VERIFIER, request);
        assertThat(refused.code()).isEqualTo("IncompleteSignature");
        assertThat(refused.getMessage()).contains(message);
    }

    @Test
    void aHeaderSignedRequestNeedsAWellFormedDate() {
        SignedRequest request = Call.to("sts").sign();
        StsException undated = refusal(VERIFIER, withHeader(request, "X-Amz-Date", null));
        assertThat(undated.code()).isEqualTo("IncompleteSignature");
        assertThat(undated.getMessage()).isEqualTo(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");

        for (String date : List.of("2026-11-28T10:30:00Z", "20261328T103000Z", "20261128T103000")) {
            StsException refused = refusal(VERIFIER, withHeader(request, "X-Amz-Date", date));
            assertThat(refused.code()).as(date).isEqualTo("IncompleteSignature");
            assertThat(refused.getMessage()).contains("X-Amz-Date must be in ISO-8601 basic format");
        }
    }

    @Test
    void theScopeMustNameTheSigningDayAndEndInTheTerminator() {
        SignedRequest request = Call.to("sts").region("eu-west-3").sign();
        String authorization = request.headerValues("Authorization").get(0);

        StsException wrongDay = refusal(VERIFIER, withHeader(request, "Authorization",
                authorization.replace("/20261128/", "/20261127/")));
        assertThat(wrongDay.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(wrongDay.getMessage()).isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601"
                + " version of date from HTTP: '20261127' != '20261128', from '20261128T103000Z'.");

        StsException wrongEnd = refusal(VERIFIER, withHeader(request, "Authorization",
                authorization.replace("/aws4_request", "/aws5_request")));
        assertThat(wrongEnd.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(wrongEnd.getMessage()).contains("valid terminator");
    }

    @Test
    void aPresignedScopeMustNameTheSigningDay() {
        SignedRequest request = Call.to("s3").path("/q3.csv").presignedFor(Duration.ofHours(1)).sign();
        StsException refused = refusal(VERIFIER,
                withQuery(request, request.rawQuery().replace("%2F20261128%2F", "%2F20261129%2F")));
        assertThat(refused.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(refused.getMessage()).startsWith("Date in Credential scope does not match");
    }

    @Test
    void secretsAndTokensStayOutOfMessagesAndStrings() throws StsException {
        SignedRequest request = Call.to("s3").as(SESSION).path("/q3.csv").presignedFor(Duration.ofHours(1)).sign();
        assertThat(VERIFIER.verify(request).toString()).doesNotContain(SESSION_TOKEN);
        assertThat(request.toString()).doesNotContain(SESSION_TOKEN);
        StsException refused = refusal(new SigV4Verifier(new MapSecrets(Map.of(SESSION_KEY, USER_SECRET),
                Map.of(SESSION_KEY, SESSION_TOKEN)), CLOCK), request);
        assertThat(refused.getMessage()).doesNotContain(USER_SECRET).doesNotContain(SESSION_SECRET)
                .doesNotContain(SESSION_TOKEN);
    }

    // ---- helpers

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(SECRETS, Clock.fixed(now, ZoneOffset.UTC));
    }

    static StsException refusal(SigV4Verifier verifier, SignedRequest request) {
        try {
            VerifiedSignature accepted = verifier.verify(request);
            throw new AssertionError("expected a refusal, but the verifier accepted " + accepted);
        } catch (StsException e) {
            assertThat(e.getMessage()).doesNotContain(USER_SECRET).doesNotContain(SESSION_SECRET);
            return e;
        }
    }

    /** Bytes of every value, the same on every run. */
    static byte[] binary(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** The request with the header (by any case of its name) replaced by one value, or removed for null. */
    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.keySet().removeIf(given -> given.equalsIgnoreCase(name));
        if (value != null) {
            headers.put(name, List.of(value));
        }
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    static SignedRequest withBody(SignedRequest request, byte[] body) {
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), request.headers(), body);
    }

    static SignedRequest withPath(SignedRequest request, String rawPath) {
        return new SignedRequest(request.method(), rawPath, request.rawQuery(), request.headers(), request.body());
    }

    static SignedRequest withQuery(SignedRequest request, String rawQuery) {
        return new SignedRequest(request.method(), request.rawPath(), rawQuery, request.headers(), request.body());
    }
}
