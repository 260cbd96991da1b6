package dev.gavel.sidecar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonValue;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * OPA's data API over the HTTP API's socket, with the input shapes of OPA-Envoy and Kong's OPA
 * plugin describing requests the AWS SDK's signer signed.
 */
class OpaDataApiTest {

    private static final String HOST = "s3.example.test:8080";
    private static final JsonReader JSON = new JsonReader(1 << 20, 64);

    @TempDir
    static Path folder;
    static GatewayServer server;
    static SocketClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new GatewayServer(folder);
        client = new SocketClient(server.socket());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** A JSON object of the request's headers (the signer's include Host), each with its first value, plus {@code extra}. */
    static String headers(SdkHttpRequest request, Map<String, String> extra) {
        List<String> members = new ArrayList<>();
        extra.forEach((name, value) -> members.add(quote(name) + ": " + quote(value)));
        request.headers().forEach((name, values) -> members.add(quote(name.toLowerCase()) + ": " + quote(values.get(0))));
        return "{" + String.join(", ", members) + "}";
    }

    /** The input OPA-Envoy gives OPA for this request from {@code source}. */
    static String envoy(SdkHttpRequest request, String source) {
        String target = request.encodedPath() + request.encodedQueryParameters().map(q -> "?" + q).orElse("");
        return """
                {"input": {"attributes": {
                  "source": {"address": {"socketAddress": {"address": %s, "portValue": 50123}}},
                  "destination": {"address": {"socketAddress": {"address": "10.0.0.5", "portValue": 8080}}},
                  "request": {"http": {"id": "1", "method": %s, "path": %s, "host": %s, "scheme": "http",
                    "protocol": "HTTP/1.1", "headers": %s}}},
                  "parsed_path": ["photos"], "parsed_query": {}, "version": {"encoding": "protojson", "ext_authz": "v3"}}}
                """.formatted(quote(source), quote(request.method().name()), quote(target), quote(HOST),
                headers(request, Map.of(":authority", HOST, ":method", request.method().name(), ":path", target)));
    }

    /** The input Kong's OPA plugin gives OPA for this request from {@code clientIp}; the query decoded, as Kong has it. */
    static String kong(SdkHttpRequest request, String clientIp) {
        String query = request.rawQueryParameters().entrySet().stream()
                .map(parameter -> quote(parameter.getKey()) + ": " + quote(parameter.getValue().get(0)))
                .collect(Collectors.joining(", ", "{", "}"));
        return """
                {"input": {"request": {"http": {"host": "s3.example.test", "port": "8080", "tls": {}, "method": %s,
                  "scheme": "http", "path": %s, "querystring": %s, "headers": %s}},
                  "client_ip": %s, "service": {"name": "photos"}}}
                """.formatted(quote(request.method().name()), quote(request.encodedPath()), query,
                headers(request, Map.of()), quote(clientIp));
    }

    static SdkHttpRequest signedGet(String path) {
        return Signing.sign("GET", URI.create("http://" + HOST + path), "");
    }

    static SocketClient.Reply post(String path, String body) throws Exception {
        return client.send("POST", path, List.of(), body);
    }

    static JsonObject json(SocketClient.Reply reply) throws Exception {
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        return (JsonObject) JSON.read(reply.body());
    }

    static boolean allowed(String input) throws Exception {
        SocketClient.Reply reply = post(OpaDataApi.ALLOW_PATH, input);
        assertThat(reply.status()).isEqualTo(200);
        JsonObject answer = json(reply);
        assertThat(answer.get("decision_id").scalarText()).isNotBlank();
        return ((JsonBoolean) answer.get("result")).value();
    }

    static String text(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null ? null : value.scalarText();
    }

    @Test
    void envoysInputIsDecidedWithTheSignatureTheClientSent() throws Exception {
        assertThat(allowed(envoy(signedGet("/photos/summer/beach.jpg"), "192.0.2.10"))).isTrue();
        assertThat(allowed(envoy(signedGet("/photos/private/diary.txt"), "192.0.2.10"))).isFalse();
    }

    @Test
    void envoysSourceAddressIsTheClientsAddress() throws Exception {
        assertThat(allowed(envoy(signedGet("/photos/office/plan.pdf"), "192.0.2.10"))).isFalse();
        assertThat(allowed(envoy(signedGet("/photos/office/plan.pdf"), "10.1.2.3"))).isTrue();
    }

    @Test
    void kongsInputIsDecidedWithItsParsedQueryStringEncodedAgain() throws Exception {
        SdkHttpRequest presigned = Signing.presign(URI.create("http://" + HOST + "/photos/summer/beach.jpg"));
        assertThat(presigned.rawQueryParameters()).containsKey("X-Amz-Credential");

        assertThat(allowed(kong(presigned, "10.1.2.3"))).isTrue();
        assertThat(allowed(kong(signedGet("/photos/summer/beach.jpg"), "10.1.2.3"))).isTrue();
        assertThat(allowed(kong(signedGet("/photos/office/plan.pdf"), "192.0.2.10"))).isFalse();
        String tampered = kong(presigned, "10.1.2.3").replace("\"/photos/summer/beach.jpg\"", "\"/photos/summer/x.jpg\"");
        assertThat(allowed(tampered)).isFalse();
    }

    @Test
    void theDecisionDocumentSaysWhy() throws Exception {
        SocketClient.Reply reply = post(OpaDataApi.DECISION_PATH, envoy(signedGet("/photos/private/diary.txt"),
                "192.0.2.10"));

        assertThat(reply.status()).isEqualTo(200);
        JsonObject answer = json(reply);
        JsonObject result = (JsonObject) answer.get("result");
        assertThat(((JsonBoolean) result.get("allow")).value()).isFalse();
        assertThat(text(result, "status")).isEqualTo("403");
        assertThat(text(result, "code")).isEqualTo("AccessDenied");
        assertThat(text(result, "message")).contains("explicit deny");
        assertThat(text(result, "principal")).isEqualTo(GatewayServer.ALICE);
        assertThat(text(result, "operation")).isEqualTo("GetObject");
        assertThat(text(result, "action")).isEqualTo("s3:GetObject");
        assertThat(text(result, "resource")).isEqualTo("arn:aws:s3:::photos/private/diary.txt");
        assertThat(text(result, "decision")).isEqualTo("EXPLICIT_DENY");
        assertThat(text(result, "decision_id")).isNotBlank().isEqualTo(text(answer, "decision_id"));
        assertThat(text((JsonObject) result.get("headers"), "x-amz-request-id")).isEqualTo(text(answer, "decision_id"));
    }

    @Test
    void anAllowedDecisionCarriesTheHeadersForTheBackend() throws Exception {
        JsonObject answer = json(post(OpaDataApi.PACKAGE_PATH, kong(signedGet("/photos/summer/beach.jpg"), "10.1.2.3")));

        JsonObject result = (JsonObject) answer.get("result");
        assertThat(((JsonBoolean) result.get("allow")).value()).isTrue();
        JsonObject decision = (JsonObject) result.get("decision");
        assertThat(((JsonBoolean) decision.get("allow")).value()).isTrue();
        assertThat(text(decision, "status")).isEqualTo("200");
        assertThat(decision.get("code").typeName()).isEqualTo("null");
        JsonObject headers = (JsonObject) decision.get("headers");
        assertThat(text(headers, "x-gavel-principal")).isEqualTo(GatewayServer.ALICE);
        assertThat(text(headers, "x-gavel-decision-id")).isEqualTo(text(answer, "decision_id"));
    }

    @Test
    void aRequestTheGatewayRefusesIsADecisionToo() throws Exception {
        SdkHttpRequest tampered = signedGet("/photos/summer/beach.jpg").toBuilder().encodedPath("/photos/summer/x.jpg")
                .build();

        JsonObject result = (JsonObject) json(post(OpaDataApi.DECISION_PATH, envoy(tampered, "10.1.2.3")))
                .get("result");

        assertThat(text(result, "code")).isEqualTo("SignatureDoesNotMatch");
        assertThat(text(result, "status")).isEqualTo("403");
        assertThat(result.get("action").typeName()).isEqualTo("null");
    }

    @Test
    void badInputIsOpasInvalidParameterNamingWhere() throws Exception {
        assertInvalid("{\"notInput\": 1}", "input: missing");
        assertInvalid("{\"input\": {\"attributes\": {\"request\": {\"http\": {\"method\": 7, \"path\": \"/a/b\"}}}}}",
                "input.attributes.request.http.method: expected a string, found number");
        assertInvalid("{\"input\": {\"attributes\": {\"request\": {}}}}", "input.attributes.request.http: missing");
        assertInvalid("{\"input\": {\"request\": {\"http\": {\"method\": \"GET\", \"path\": \"/a/b\", "
                + "\"headers\": {\"x-amz-date\": [20260101]}}}}}",
                "input.request.http.headers.x-amz-date[0]: expected a string, found number");
        assertInvalid("{\"input\": {\"request\": {\"http\": {\"method\": \"GET\", \"path\": \"/a/b\", "
                + "\"querystring\": {\"prefix\": {\"a\": 1}}}}}}",
                "input.request.http.querystring.prefix: expected a string, found object");
        assertInvalid("{\"input\": {\"user\": \"alice\"}}", "input: expected OPA-Envoy's input.attributes.request.http");
        assertInvalid("{\"input\": ", "the body is not JSON: at 1:");
        assertInvalid("[]", "expected an object, found array");
    }

    private static void assertInvalid(String body, String messageStart) throws Exception {
        SocketClient.Reply reply = post(OpaDataApi.ALLOW_PATH, body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        JsonObject error = json(reply);
        assertThat(text(error, "code")).isEqualTo("invalid_parameter");
        assertThat(text(error, "message")).as(body).startsWith(messageStart);
        assertThat(error.get("result")).isNull();
    }

    @Test
    void onlyPostIsAnsweredAndOnlyTheGavelDocumentsAreMounted() throws Exception {
        SocketClient.Reply get = client.send("GET", OpaDataApi.ALLOW_PATH, List.of(), null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers().get("Allow")).isEqualTo("POST");
        assertThat(text(json(get), "code")).isEqualTo("invalid_operation");

        assertThat(post("/v1/data/gavel/other", envoy(signedGet("/photos/a.jpg"), "10.1.2.3")).status()).isEqualTo(404);
    }

    @Test
    void kongsHeaderArraysAreTheHeadersValuesAndItsHostAndPortStandForAMissingHostHeader() throws Exception {
        String input = kong(signedGet("/photos/summer/beach.jpg"), "10.1.2.3");
        String dated = input.replaceFirst("\"x-amz-date\": (\"[0-9TZ]+\")", "\"x-amz-date\": [$1]");
        assertThat(dated).isNotEqualTo(input);
        assertThat(allowed(dated)).isTrue();

        String hostless = input.replace(quote("host") + ": " + quote(HOST), quote("x-unsigned") + ": " + quote("-"));
        assertThat(hostless).isNotEqualTo(input);
        assertThat(allowed(hostless)).isTrue();
        assertThat(allowed(hostless.replace("\"port\": \"8080\"", "\"port\": 8081"))).isFalse();
    }
}
