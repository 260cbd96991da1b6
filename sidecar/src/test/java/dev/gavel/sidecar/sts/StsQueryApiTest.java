package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The STS query API over HTTP, request by request as a client writes it: the documents and statuses
 * of its refusals, and the request shapes AWS accepts (a form POST, a presigned GET).
 */
class StsQueryApiTest {

    static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static StsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new StsServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(server.endpoint.resolve("/")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A form POST signed with SigV4 by the AWS SDK's own signer, for {@code service} in eu-west-1. */
    static HttpResponse<String> signedPost(String accessKeyId, String service, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(server.endpoint.resolve("/")).putHeader("Content-Type", FORM)
                .contentStreamProvider(() -> new ByteArrayInputStream(bytes)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .identity(AwsCredentialsIdentity.create(accessKeyId, server.secret(accessKeyId)))
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1"));
        HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        copyHeaders(signed.request(), request);
        return send(request);
    }

    private static void copyHeaders(SdkHttpRequest from, HttpRequest.Builder to) {
        from.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> to.header(name, value));
            }
        });
    }

    /** Asserts an ErrorResponse with its status, type and code, and returns its message. */
    static String refused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        Document document = StsXmlTest.parse(response.body());
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("ErrorResponse");
        assertThat(StsXmlTest.text(document, "Type")).isEqualTo(status >= 500 ? "Receiver" : "Sender");
        assertThat(StsXmlTest.text(document, "Code")).isEqualTo(code);
        assertThat(StsXmlTest.text(document, "RequestId"))
                .isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        return StsXmlTest.text(document, "Message");
    }

    @Test
    void aRequestWithoutActionIsMissingAction() throws Exception {
        assertThat(refused(post(FORM, "Version=2011-06-15"), 400, "MissingAction")).isEqualTo("The request has no "
                + "Action: give one of AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML, GetSessionToken, "
                + "GetCallerIdentity, with Version=2011-06-15");
        refused(send(HttpRequest.newBuilder(server.endpoint.resolve("/")).GET()), 400, "MissingAction");
    }

    @Test
    void anActionGavelDoesNotAnswerIsInvalidAction() throws Exception {
        assertThat(refused(post(FORM, "Action=AssumeRoel&Version=2011-06-15"), 400, "InvalidAction"))
                .isEqualTo("Could not find operation AssumeRoel for version 2011-06-15: did you mean AssumeRole?");
        assertThat(refused(post(FORM, "Action=GetFederationToken&Version=2011-06-15"), 400, "InvalidAction"))
                .startsWith("Gavel does not support the STS action GetFederationToken; it answers AssumeRole, ");
        assertThat(refused(post(FORM, "Action=GetCallerIdentity"), 400, "InvalidAction"))
                .startsWith("Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED");
        assertThat(refused(post(FORM, "Action=GetCallerIdentity&Version=2012-10-17"), 400, "InvalidAction"))
                .isEqualTo("Could not find operation GetCallerIdentity for version 2012-10-17: STS has one version, "
                        + "2011-06-15");
    }

    @Test
    void aSignedActionWithoutASignatureIsMissingAuthenticationToken() throws Exception {
        refused(post(FORM, "Action=AssumeRole&Version=2011-06-15&RoleArn=" + StsServer.VENDOR_ROLE
                + "&RoleSessionName=s"), 403, "MissingAuthenticationToken");
        refused(post(FORM, "Action=GetCallerIdentity&Version=2011-06-15"), 403, "MissingAuthenticationToken");
    }

    @Test
    void aSignatureForAnotherServiceIsRefused() throws Exception {
        assertThat(refused(signedPost(StsServer.ALICE_KEY, "s3", "Action=GetCallerIdentity&Version=2011-06-15"), 403,
                "SignatureDoesNotMatch")).isEqualTo("Credential should be scoped to correct service: 'sts'.");
    }

    @Test
    void aSignedFormPostIsAnswered() throws Exception {
        HttpResponse<String> response = signedPost(StsServer.ALICE_KEY, "sts",
                "Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        Document document = StsXmlTest.parse(response.body());
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("GetCallerIdentityResponse");
        assertThat(StsXmlTest.text(document, "Arn")).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(StsXmlTest.text(document, "RequestId"))
                .isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    @Test
    void aPresignedGetCallerIdentityUrlIsAnswered() throws Exception {
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(server.endpoint.resolve("/")).appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15").build();
        SignedRequest presigned = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .identity(AwsCredentialsIdentity.create(StsServer.BOB_KEY, server.secret(StsServer.BOB_KEY)))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5)));
        URI url = presigned.request().getUri();
        assertThat(url.getRawQuery()).contains("X-Amz-Signature=");
        HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(StsXmlTest.text(StsXmlTest.parse(response.body()), "Arn"))
                .isEqualTo("arn:aws:iam::111122223333:user/bob");
    }

    @Test
    void aParameterTheActionDoesNotTakeIsRefusedWithAHint() throws Exception {
        assertThat(refused(signedPost(StsServer.AUDITOR_KEY, "sts", "Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=" + StsServer.VENDOR_ROLE + "&RoleSessionName=s&ExternalID=" + StsServer.VENDOR_EXTERNAL_ID),
                400, "InvalidQueryParameter")).isEqualTo("AssumeRole has no parameter ExternalID: did you mean "
                + "ExternalId?");
        assertThat(refused(signedPost(StsServer.ALICE_KEY, "sts", "Action=GetCallerIdentity&Version=2011-06-15"
                + "&RoleArn=x"), 400, "InvalidQueryParameter")).isEqualTo("GetCallerIdentity has no parameter RoleArn; "
                + "it takes none");
    }

    @Test
    void aMissingParameterOfAnUnsignedActionIsAValidationErrorNamingIt() throws Exception {
        assertThat(refused(post(FORM, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                + StsServer.DEPLOY_ROLE + "&RoleSessionName=s"), 400, "ValidationError"))
                .isEqualTo("1 validation error detected: Value null at 'WebIdentityToken' failed to satisfy "
                        + "constraint: Member must not be null");
        assertThat(refused(post(FORM, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                + StsServer.DEPLOY_ROLE + "&RoleSessionName=deploy&WebIdentityToken=not.a.jwt"), 400,
                "InvalidIdentityToken")).isNotBlank();
    }

    @Test
    void malformedRequestsAreRefusedBeforeAnyAction() throws Exception {
        assertThat(refused(post("application/json", "{\"Action\": \"GetCallerIdentity\"}"), 400,
                "InvalidQueryParameter")).isEqualTo("the body must be the action's parameters as "
                + "application/x-www-form-urlencoded (in UTF-8), not Content-Type \"application/json\"");
        assertThat(refused(post(FORM, "Action=GetCallerIdentity&Version=2011-06-15&Action=AssumeRole"), 400,
                "InvalidQueryParameter")).isEqualTo("the parameter Action is given more than once");
        assertThat(refused(send(HttpRequest.newBuilder(server.endpoint.resolve("/?Action=GetCallerIdentity"))
                .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRole"))),
                400, "InvalidQueryParameter"))
                .isEqualTo("the parameter Action is given both in the query string and in the body");
        assertThat(refused(post(FORM, "Action=GetCallerIdentity&Version=%E2%28"), 400, "InvalidQueryParameter"))
                .isEqualTo("the value of Version is not UTF-8 once decoded");
    }

    @Test
    void otherMethodsAreRefusedWithTheMethodsAnswered() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.endpoint.resolve("/"))
                .PUT(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity")));
        assertThat(refused(response, 405, "MethodNotAllowed")).isEqualTo("The STS query API answers POST and GET, "
                + "not PUT");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        // The length declared is refused before the body is read: sending only the head makes the
        // answer certain, where a client still writing a body could find the connection closed.
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\nContent-Length: "
                + ((1 << 20) + 1) + "\r\n\r\n";
        String answer;
        try (Socket socket = new Socket(server.endpoint.getHost(), server.endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("<Code>RequestEntityTooLarge</Code>")
                .contains("The request body is over the limit of 1048576 bytes");
    }

    @Test
    void theHttpApisOwnEndpointsStillAnswerBesideIt() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(server.endpoint.resolve("/health")).GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(server.endpoint.resolve("/v2/nothing")).GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"NOT_FOUND\"");
    }

    @Test
    void refusalsAreCountedByTheirCode() throws Exception {
        post(FORM, "Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(server.metricsText()).containsPattern(
                "gavel_sts_requests_total\\{action=\"GetCallerIdentity\",outcome=\"MissingAuthenticationToken\"} [1-9]");
    }
}
