package dev.gavel.sidecar.envoy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.gavel.Engine;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ext_authz service answering check requests shaped as Envoy sends them, from a real gRPC
 * client over its Unix socket and its loopback TCP port.
 */
class ExtAuthzServiceTest {

    private static final String REPORT = "/reports/alice/q3.csv";

    @TempDir
    Path folder;

    private Engine engine;
    private ExtAuthzServer server;
    private final List<ExtAuthzClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = TestGateways.engine();
        server = new ExtAuthzServer(ExtAuthzConfig.of(folder.resolve("ext-authz.sock"))
                .withTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), TestGateways.gateway(engine));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (ExtAuthzClient client : clients) {
            client.close();
        }
        server.close();
        engine.close();
    }

    private ExtAuthzClient client(String transport) {
        ExtAuthzClient client = transport.equals("unix") ? ExtAuthzClient.unix(server.socket())
                : ExtAuthzClient.tcp(server.tcpPort());
        clients.add(client);
        return client;
    }

    private CheckResponse check(CheckRequest request) {
        return client("unix").check(request);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aSignedRequestThePoliciesAllowGoesUpstreamNamingItsCaller(String transport) {
        CheckResponse response = client(transport).check(EnvoyChecks.get(REPORT).build());

        assertThat(response.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        assertThat(response.hasOkResponse()).isTrue();
        Map<String, HeaderValueOption> headers = byName(response.getOkResponse().getHeadersList());
        assertThat(headers).containsOnlyKeys("x-gavel-principal", "x-gavel-decision-id");
        assertThat(headers.get("x-gavel-principal").getHeader().getValue()).isEqualTo(TestGateways.ALICE);
        assertThat(headers.get("x-gavel-decision-id").getHeader().getValue()).isNotBlank();
        assertThat(headers.values()).extracting(HeaderValueOption::getAppendAction)
                .containsOnly(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
    }

    @Test
    void aClientCannotForgeThePrincipalHeaderUpstream() {
        CheckResponse response = check(EnvoyChecks.get(REPORT)
                .header("x-gavel-principal", "arn:aws:iam::111122223333:user/admin").build());

        HeaderValueOption principal = byName(response.getOkResponse().getHeadersList()).get("x-gavel-principal");
        assertThat(principal.getHeader().getValue()).isEqualTo(TestGateways.ALICE);
        // Overwrite, not append: Envoy then drops every copy the client sent.
        assertThat(principal.getAppendAction()).isEqualTo(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
        assertThat(response.getOkResponse().getHeadersToRemoveList()).doesNotContain("x-gavel-principal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aRequestThePoliciesDoNotAllowIsRefusedWithAwsErrorBody(String transport) {
        CheckResponse response = client(transport).check(EnvoyChecks.get("/reports/bob/q3.csv").build());

        assertThat(response.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);
        assertThat(response.hasDeniedResponse()).isTrue();
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
        Map<String, HeaderValueOption> headers = byName(response.getDeniedResponse().getHeadersList());
        assertThat(headers).containsOnlyKeys("content-type", "x-amz-request-id", "x-gavel-decision-id");
        assertThat(headers.get("content-type").getHeader().getValue()).isEqualTo("application/xml");
        String id = headers.get("x-gavel-decision-id").getHeader().getValue();
        assertThat(headers.get("x-amz-request-id").getHeader().getValue()).isEqualTo(id);
        assertThat(response.getDeniedResponse().getBody())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>")
                .contains("User: " + TestGateways.ALICE + " is not authorized to perform: s3:GetObject on resource: "
                        + "&quot;arn:aws:s3:::reports/bob/q3.csv&quot;")
                .contains("<Resource>/reports/bob/q3.csv</Resource>", "<RequestId>" + id + "</RequestId>");
    }

    @Test
    void theTargetIsSplitAsSignedKeepingItsEncoding() {
        CheckRequest request = EnvoyChecks.get("/reports/alice/q3%20final%2Bv2.csv?versionId=3HL4kqtJ&response-"
                + "content-type=text/csv").build();
        assertThat(request.getAttributes().getRequest().getHttp().getPath())
                .isEqualTo("/reports/alice/q3%20final%2Bv2.csv?versionId=3HL4kqtJ&response-content-type=text%2Fcsv");

        assertThat(check(request).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
    }

    @Test
    void aPresignedUrlIsVerifiedFromItsQuery() {
        CheckRequest request = EnvoyChecks.get(REPORT + "?versionId=3").presigned().build();
        assertThat(request.getAttributes().getRequest().getHttp().getPath()).contains("X-Amz-Signature=")
                .doesNotContain(" ");
        assertThat(request.getAttributes().getRequest().getHttp().getHeadersMap()).doesNotContainKey("authorization");

        CheckResponse response = check(request);
        assertThat(response.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        assertThat(response.getOkResponse().getHeaders(0).getHeader().getValue()).isEqualTo(TestGateways.ALICE);
    }

    @Test
    void aTamperedSignatureIsRefusedAsUnauthenticated() {
        CheckResponse response = check(EnvoyChecks.get(REPORT).tampered().build());

        assertThat(response.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
        assertThat(response.getDeniedResponse().getBody()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void anUnsignedRequestIsTheAnonymousCaller() {
        CheckResponse allowed = check(EnvoyChecks.get("/public/readme.txt").unsigned().build());
        assertThat(allowed.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        assertThat(byName(allowed.getOkResponse().getHeadersList()).get("x-gavel-principal").getHeader().getValue())
                .isEqualTo("anonymous");

        CheckResponse denied = check(EnvoyChecks.get(REPORT).unsigned().build());
        assertThat(denied.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);
        assertThat(denied.getDeniedResponse().getBody()).contains("<Code>AccessDenied</Code>",
                "Anonymous caller is not authorized to perform: s3:GetObject");
    }

    @Test
    void headersInTheRawHeaderMapFormAreReadAsWell() {
        CheckResponse allowed = check(EnvoyChecks.get(REPORT).rawHeaders().build());
        assertThat(allowed.getStatus().getCode()).isEqualTo(Code.OK_VALUE);

        CheckResponse tampered = check(EnvoyChecks.get(REPORT).rawHeaders().tampered().build());
        assertThat(tampered.getDeniedResponse().getBody()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void aSignedHeaderSentTwiceSignsAsEnvoyJoinsIt() {
        EnvoyChecks twice = EnvoyChecks.get(REPORT).header("x-amz-meta-tag", "a").header("x-amz-meta-tag", "b");

        assertThat(check(twice.build()).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        assertThat(check(twice.rawHeaders().build()).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
    }

    @Test
    void theBodyEnvoyPassesMustHashToWhatWasSigned() {
        EnvoyChecks upload = EnvoyChecks.put("/reports/alice/q4.csv", "region,total\neu,42\n");

        assertThat(check(upload.build()).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        CheckResponse swapped = check(upload.build("region,total\neu,0\n".getBytes(UTF_8)));
        assertThat(swapped.getDeniedResponse().getStatus().getCodeValue())
                .as("S3 answers 400 for a body that does not match its hash").isEqualTo(400);
        assertThat(swapped.getDeniedResponse().getBody()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
    }

    @Test
    void aPartialBodyIsNotHashedAndTheSignedHashStands() {
        EnvoyChecks upload = EnvoyChecks.put("/reports/alice/q4.csv", "region,total\neu,42\n")
                .addedByEnvoy(CheckRequests.PARTIAL_BODY_HEADER, "true");

        assertThat(check(upload.build("region,to".getBytes(UTF_8))).getStatus().getCode()).isEqualTo(Code.OK_VALUE);
    }

    @Test
    void aCheckRequestWithoutAnHttpRequestIsDeniedNotFailed() {
        CheckResponse empty = check(CheckRequest.getDefaultInstance());
        CheckResponse network = check(CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(AttributeContext.Peer.newBuilder().setService("tcp-proxy"))).build());

        for (CheckResponse response : List.of(empty, network)) {
            assertThat(response.getStatus().getCode()).isNotEqualTo(Code.OK_VALUE);
            assertThat(response.hasOkResponse()).isFalse();
            assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
            String id = byName(response.getDeniedResponse().getHeadersList()).get("x-gavel-decision-id").getHeader()
                    .getValue();
            assertThat(response.getDeniedResponse().getBody()).contains("<Code>AccessDenied</Code>",
                    "has no attributes.request.http", "<RequestId>" + id + "</RequestId>");
        }
    }

    @Test
    void aRequestWithoutAMethodIsDenied() {
        CheckRequest request = EnvoyChecks.get(REPORT).build();
        CheckRequest noMethod = request.toBuilder().setAttributes(request.getAttributes().toBuilder()
                .setRequest(AttributeContext.Request.newBuilder().setHttp(
                        request.getAttributes().getRequest().getHttp().toBuilder().clearMethod()))).build();

        CheckResponse response = check(noMethod);
        assertThat(response.hasDeniedResponse()).isTrue();
        assertThat(response.getDeniedResponse().getBody()).contains("attributes.request.http.method is empty");
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        ExtAuthzClient unix = client("unix");
        ExtAuthzClient tcp = client("tcp");
        List<CheckRequest> requests = List.of(EnvoyChecks.get(REPORT).build(),
                EnvoyChecks.get("/reports/bob/q3.csv").build(), EnvoyChecks.get("/public/readme.txt").unsigned().build(),
                EnvoyChecks.get(REPORT).tampered().build());
        List<String> expected = List.of(TestGateways.ALICE, "AccessDenied", "anonymous", "SignatureDoesNotMatch");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                ExtAuthzClient client = thread % 2 == 0 ? unix : tcp;
                int offset = thread;
                results.add(pool.submit(() -> {
                    List<String> answers = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        answers.add(outcome(client.check(requests.get((offset + i) % requests.size()))));
                    }
                    return answers;
                }));
            }
            for (int thread = 0; thread < results.size(); thread++) {
                List<String> answers = results.get(thread).get();
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(answers.get(i)).isEqualTo(expected.get((thread + i) % requests.size()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The caller of an allowed request, or the error code of a refusal. */
    private static String outcome(CheckResponse response) {
        if (response.hasOkResponse()) {
            return byName(response.getOkResponse().getHeadersList()).get("x-gavel-principal").getHeader().getValue();
        }
        String body = response.getDeniedResponse().getBody();
        return body.substring(body.indexOf("<Code>") + 6, body.indexOf("</Code>"));
    }

    private static Map<String, HeaderValueOption> byName(List<HeaderValueOption> headers) {
        Map<String, HeaderValueOption> byName = new LinkedHashMap<>();
        for (HeaderValueOption header : headers) {
            assertThat(byName.put(header.getHeader().getKey(), header)).as("header " + header.getHeader().getKey()
                    + " given once").isNull();
        }
        return byName;
    }
}
