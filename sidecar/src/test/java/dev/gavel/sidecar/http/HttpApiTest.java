package dev.gavel.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.directory.Identity;
import dev.gavel.json.JsonValue;
import dev.gavel.sidecar.SidecarCli;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.Sts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every endpoint of the HTTP API, over a real Unix socket, on the demo directory. */
class HttpApiTest {

    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String ALICE_KEY = "AKIAW4POA2WMOQQL6P2Z";
    static final String DATA_OBJECT = "arn:aws:s3:::example-payments-data/orders/2026-11-27.csv";
    static final String REPORT_OBJECT = "arn:aws:s3:::example-payments-reports/2026/q3-summary.pdf";
    static final String TLS_EU = "{\"aws:SecureTransport\": \"true\", \"aws:RequestedRegion\": \"eu-west-1\"}";
    static final String TLS_SYDNEY = "{\"aws:SecureTransport\": true, \"aws:RequestedRegion\": \"ap-southeast-2\"}";

    @TempDir
    static Path folder;
    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(folder);
        client = server.client;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String check(String principal, String action, String resource, String context) {
        return "{\"principal\": \"" + principal + "\", \"action\": \"" + action + "\", \"resource\": \"" + resource
                + "\", \"context\": " + context + "}";
    }

    // ---- /v1/authorize ----------------------------------------------------------------------

    @Test
    void authorizeAnswersEachDecisionWithTheSnapshotVersionAndAnId() {
        ApiClient.Reply allowed = client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers().get("Content-Type")).isEqualTo("application/json");
        JsonValue answer = allowed.json();
        assertThat(Json.text(answer, "decision")).isEqualTo("allowed");
        assertThat(Json.text(answer, "version")).isEqualTo(Long.toString(server.engine.version()));
        assertThat(Json.text(answer, "decisionId")).matches("[0-9a-f]{16}-[0-9a-f]+");
        assertThat(Json.at(answer, "statements")).isNull();

        assertThat(Json.text(client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_SYDNEY))
                .json(), "decision")).isEqualTo("explicitDeny");
        assertThat(Json.text(client.post("/v1/authorize", check(ALICE, "s3:DeleteObject", DATA_OBJECT, TLS_EU))
                .json(), "decision")).isEqualTo("implicitDeny");
        String second = Json.text(client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU))
                .json(), "decisionId");
        assertThat(second).isNotEqualTo(Json.text(answer, "decisionId"));
    }

    @Test
    void authorizeExplainsWithTheDecisiveStatements() {
        String body = "{\"principal\": \"" + ALICE + "\", \"action\": \"s3:GetObject\", \"resource\": \"" + DATA_OBJECT
                + "\", \"context\": " + TLS_EU + ", \"explain\": true}";
        JsonValue answer = client.post("/v1/authorize", body).json();
        assertThat(Json.text(answer, "decision")).isEqualTo("allowed");
        assertThat(Json.text(answer, "decidedBy")).isEqualTo("identity");
        assertThat(Json.text(answer, "statements[0].policy")).isEqualTo("arn:aws:iam::111122223333:policy/DeveloperAccess");
        assertThat(Json.text(answer, "statements[0].statement")).isEqualTo("PaymentsDataReadWrite");
        assertThat(Integer.parseInt(Json.text(answer, "statements[0].line"))).isPositive();
        assertThat(Json.at(answer, "missingContextKeys")).isNotNull();
    }

    @Test
    void authorizeTakesMultivaluedAndNonStringContextValues() {
        String context = "{\"aws:SecureTransport\": true, \"aws:RequestedRegion\": \"eu-west-1\", "
                + "\"aws:TagKeys\": [\"team\", \"env\"], \"s3:max-keys\": 10}";
        assertThat(Json.text(client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, context)).json(),
                "decision")).isEqualTo("allowed");
    }

    @Test
    void authorizeByAccessKeyAndBySessionCredentials() throws Exception {
        String byKey = "{\"accessKeyId\": \"" + ALICE_KEY + "\", \"action\": \"s3:GetObject\", \"resource\": \""
                + DATA_OBJECT + "\", \"context\": " + TLS_EU + "}";
        assertThat(Json.text(client.post("/v1/authorize", byKey).json(), "decision")).isEqualTo("allowed");

        IssuedSession session = vendorSession();
        String bySession = "{\"accessKeyId\": \"" + session.credentials().accessKeyId() + "\", \"sessionToken\": \""
                + session.credentials().sessionToken() + "\", \"action\": \"s3:GetObject\", \"resource\": \""
                + REPORT_OBJECT + "\", \"context\": " + TLS_EU + "}";
        assertThat(Json.text(client.post("/v1/authorize", bySession).json(), "decision")).isEqualTo("allowed");
    }

    static IssuedSession vendorSession() throws Exception {
        Sts sts = new Sts(server.engine.directory(), Clock.systemUTC(), new SecureRandom());
        Identity vendor = sts.credentials().resolve("AKIAGVD66T24PKKALPTO", null).identity();
        return sts.assumeRole(vendor, AssumeRoleRequest.builder("arn:aws:iam::111122223333:role/VendorAuditRole",
                "vendor-audit").externalId("vendor-7f3a91").build());
    }

    // ---- /v1/authorize/batch ----------------------------------------------------------------

    @Test
    void aBatchWithOnePrincipalAnswersInOrder() {
        String body = "{\"principal\": \"" + ALICE + "\", \"requests\": ["
                + "{\"action\": \"s3:GetObject\", \"resource\": \"" + DATA_OBJECT + "\", \"context\": " + TLS_EU + "},"
                + "{\"action\": \"s3:DeleteObject\", \"resource\": \"" + DATA_OBJECT + "\", \"context\": " + TLS_EU + "},"
                + "{\"action\": \"s3:GetObject\", \"resource\": \"" + DATA_OBJECT + "\", \"context\": " + TLS_SYDNEY
                + ", \"explain\": true}]}";
        ApiClient.Reply reply = client.post("/v1/authorize/batch", body);
        assertThat(reply.status()).isEqualTo(200);
        JsonValue answers = reply.json();
        assertThat(Json.size(answers, "answers")).isEqualTo(3);
        assertThat(Json.text(answers, "answers[0].decision")).isEqualTo("allowed");
        assertThat(Json.text(answers, "answers[1].decision")).isEqualTo("implicitDeny");
        assertThat(Json.text(answers, "answers[2].decision")).isEqualTo("explicitDeny");
        assertThat(Json.text(answers, "answers[2].decidedBy")).isEqualTo("scp");
        assertThat(Json.text(answers, "answers[0].decisionId")).isNotEqualTo(Json.text(answers, "answers[1].decisionId"));
    }

    @Test
    void aListOfFullRequestsAnswersEachAndAnUnknownPrincipalCostsOnlyItsOwnAnswer() {
        String list = "[" + check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU) + ","
                + check("arn:aws:iam::111122223333:user/nobody", "s3:GetObject", DATA_OBJECT, TLS_EU) + ","
                + check("arn:aws:iam::111122223333:user/carol", "ec2:RunInstances",
                        "arn:aws:ec2:ap-southeast-2:111122223333:instance/*", TLS_SYDNEY) + "]";
        JsonValue answers = client.post("/v1/authorize/batch", list).json();
        assertThat(Json.size(answers, "answers")).isEqualTo(3);
        assertThat(Json.text(answers, "answers[0].decision")).isEqualTo("allowed");
        assertThat(Json.text(answers, "answers[1].error.code")).isEqualTo("UNKNOWN_PRINCIPAL");
        assertThat(Json.text(answers, "answers[1].error.field")).isEqualTo("[1].principal");
        assertThat(Json.text(answers, "answers[2].decision")).isEqualTo("explicitDeny");

        JsonValue wrapped = client.post("/v1/authorize/batch", "{\"requests\": " + list + "}").json();
        assertThat(Json.text(wrapped, "answers[1].error.field")).isEqualTo("requests[1].principal");
        assertThat(Json.text(wrapped, "answers[2].decision")).isEqualTo("explicitDeny");
    }

    @Test
    void aBatchOverTheLimitIsRefusedWhole() {
        String item = "{\"action\": \"s3:GetObject\", \"resource\": \"" + DATA_OBJECT + "\"}";
        String body = "{\"principal\": \"" + ALICE + "\", \"requests\": [" + String.join(",",
                java.util.Collections.nCopies(HttpConfig.DEFAULT_MAX_BATCH_SIZE + 1, item)) + "]}";
        ApiClient.Reply reply = client.post("/v1/authorize/batch", body);
        assertError(reply, 413, "BATCH_TOO_LARGE", "requests");
    }

    @Test
    void aBatchItemCannotNameAnotherCallerThanTheBatch() {
        String body = "{\"principal\": \"" + ALICE + "\", \"requests\": [" + check(ALICE, "s3:GetObject", DATA_OBJECT,
                TLS_EU) + "]}";
        assertError(client.post("/v1/authorize/batch", body), 400, "INVALID_FIELD", "requests[0].principal");
    }

    // ---- /v1/simulate and /v1/validate --------------------------------------------------------

    @Test
    void simulatePrintsEachCaseAsGavelSimulateDoesWithItsWarnings() throws Exception {
        String policy = "{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": {\\\"Effect\\\": \\\"Allow\\\", "
                + "\\\"Action\\\": \\\"s3:GetObject\\\", \\\"Resource\\\": \\\"*\\\"}}";
        String cases = String.join("\n",
                "{\"id\": \"reads\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                        + "\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                        + "\"identityPolicies\": [\"" + policy + "\"], \"expect\": \"allowed\"}",
                "",
                "{\"id\": \"writes\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                        + "\"action\": \"s3:PutObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                        + "\"identityPolicies\": [\"" + policy + "\"], \"resourcePolicies\": [], "
                        + "\"expect\": \"allowed\"}",
                "{\"id\": \"broken\", \"request\": {}}",
                "");
        ApiClient.Reply reply = client.post("/v1/simulate?explain=true", cases);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(reply.headers().get("Gavel-Passed")).isEqualTo("1");
        assertThat(reply.headers().get("Gavel-Failed")).isEqualTo("2");
        List<String> lines = reply.body().lines().toList();
        assertThat(lines).hasSize(3);

        Path file = folder.resolve("body");
        Files.writeString(file, cases);
        List<String> cli = run("simulate", "--explain", file.toString()).lines()
                .map(line -> line.replace(file.toString(), "body")).toList();
        assertThat(lines.get(0)).isEqualTo(cli.get(0));
        assertThat(lines.get(2)).isEqualTo(cli.get(2));
        // The command line prints warnings on stderr; the API adds them to the case's line.
        String withoutBrace = cli.get(1).substring(0, cli.get(1).length() - 1);
        assertThat(lines.get(1)).startsWith(withoutBrace + ",\"warnings\":[");
        JsonValue warned = new ApiClient.Reply(200, null, lines.get(1)).json();
        assertThat(Json.text(warned, "warnings[0].code")).isEqualTo("UNKNOWN_CASE_FIELD");
        assertThat(Json.text(warned, "warnings[0].message")).contains("did you mean \"resourcePolicy\"?");
        assertThat(Json.text(warned, "warnings[0].line")).isEqualTo("3");
    }

    @Test
    void validatePrintsFindingsAsGavelValidateDoesForTheTypeAsked() throws Exception {
        String trust = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
                + "{\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
        ApiClient.Reply asIdentity = client.post("/v1/validate?type=identity", trust);
        assertThat(asIdentity.status()).isEqualTo(200);
        Path file = folder.resolve("trust.json");
        Files.writeString(file, trust);
        String cli = run("validate", "--no-service-catalog", "--type", "identity", "--format", "json",
                file.toString()).replace(file.toString(), "body");
        assertThat(asIdentity.body()).isEqualTo(cli);
        assertThat(asIdentity.body()).contains("\"severity\":\"ERROR\"");

        ApiClient.Reply auto = client.post("/v1/validate", trust);
        assertThat(auto.body()).isEqualTo("[]\n");
    }

    static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = SidecarCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(new StringWriter(), true));
        command.execute(args);
        return out.toString();
    }

    // ---- health, status, metrics ---------------------------------------------------------------

    @Test
    void healthAndReadinessAndStatus() {
        assertThat(client.get("/health").body()).isEqualTo("{\"status\":\"up\"}");
        ApiClient.Reply ready = client.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(Json.text(ready.json(), "ready")).isEqualTo("true");

        JsonValue status = client.get("/v1/status").json();
        assertThat(Json.text(status, "snapshotVersion")).isEqualTo(Long.toString(server.engine.version()));
        assertThat(Json.text(status, "source")).isEqualTo(server.directory.toString());
        assertThat(Json.text(status, "startedAt")).endsWith("Z");
        assertThat(Json.text(status, "counts.accounts")).isEqualTo("4");
        assertThat(Integer.parseInt(Json.text(status, "counts.users"))).isGreaterThanOrEqualTo(4);
        assertThat(Integer.parseInt(Json.text(status, "counts.roles"))).isGreaterThanOrEqualTo(6);
        assertThat(Json.at(status, "counts.decisions")).isNotNull();
    }

    @Test
    void metricsCountDecisionsByResultAndErrorsByCodeInPrometheusTextFormat() {
        Map<String, Double> before = metrics();
        client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU));
        client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU));
        client.post("/v1/authorize", check(ALICE, "s3:DeleteObject", DATA_OBJECT, TLS_EU));
        client.post("/v1/authorize", "{");
        ApiClient.Reply reply = client.get("/metrics");
        assertThat(reply.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> after = parse(reply.body());
        // Other tests run too: the counts only grow, by at least these.
        assertThat(after.get("gavel_decisions_total{decision=\"allowed\"}"))
                .isGreaterThanOrEqualTo(before.get("gavel_decisions_total{decision=\"allowed\"}") + 2);
        assertThat(after.get("gavel_decisions_total{decision=\"implicitDeny\"}"))
                .isGreaterThanOrEqualTo(before.get("gavel_decisions_total{decision=\"implicitDeny\"}") + 1);
        assertThat(after.get("gavel_check_duration_seconds_count"))
                .isGreaterThanOrEqualTo(before.get("gavel_check_duration_seconds_count") + 3);
        assertThat(after.get("gavel_errors_total{code=\"MALFORMED_JSON\"}"))
                .isGreaterThanOrEqualTo(before.get("gavel_errors_total{code=\"MALFORMED_JSON\"}") + 1);
        assertThat(after.get("gavel_snapshot_version")).isEqualTo((double) server.engine.version());
        assertThat(after).containsKeys("gavel_reloads_total{outcome=\"success\"}",
                "gavel_reloads_total{outcome=\"failure\"}", "gavel_decision_log_dropped_total",
                "gavel_failed_closed_total", "gavel_check_duration_seconds_bucket{le=\"+Inf\"}");
        assertThat(reply.body()).doesNotContain(ALICE).doesNotContain("s3:GetObject").doesNotContain(DATA_OBJECT);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

    static Map<String, Double> metrics() {
        return parse(client.get("/metrics").body());
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new java.util.HashMap<>();
        Matcher matcher = SAMPLE.matcher(text);
        while (matcher.find()) {
            samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return samples;
    }

    // ---- errors ---------------------------------------------------------------------------------

    static void assertError(ApiClient.Reply reply, int status, String code, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        JsonValue error = reply.json();
        assertThat(Json.text(error, "error.code")).isEqualTo(code);
        assertThat(Json.text(error, "error.message")).isNotBlank();
        assertThat(Json.text(error, "error.field")).isEqualTo(field);
    }

    @Test
    void malformedJsonNamesTheLineAndColumn() {
        ApiClient.Reply reply = client.post("/v1/authorize", "{\"principal\": \"" + ALICE + "\",\n  \"action\" \"x\"}");
        assertError(reply, 400, "MALFORMED_JSON", null);
        assertThat(Json.text(reply.json(), "error.message")).startsWith("malformed JSON at line 2, column 12: ");
        assertError(client.post("/v1/authorize", ""), 400, "MALFORMED_JSON", null);
        assertError(client.post("/v1/authorize", check(ALICE, "s3:GetObject", "*", "{}") + " {}"), 400,
                "MALFORMED_JSON", null);
        assertError(client.post("/v1/authorize", "{\"action\": \"a:b\", \"action\": \"a:c\"}"), 400, "MALFORMED_JSON",
                null);
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        assertError(client.post("/v1/authorize", "{\"principal\": \"" + ALICE + "\", \"resource\": \"*\"}"), 400,
                "MISSING_FIELD", "action");
        assertError(client.post("/v1/authorize", "{\"action\": \"s3:GetObject\", \"resource\": \"*\"}"), 400,
                "MISSING_FIELD", "principal");
        assertError(client.post("/v1/authorize", "{\"principal\": \"" + ALICE + "\", \"action\": \"GetObject\", "
                + "\"resource\": \"*\"}"), 400, "INVALID_FIELD", "action");
        assertError(client.post("/v1/authorize", check(ALICE, "s3:GetObject", "*", "{\"aws:SourceIp\": {}}")), 400,
                "INVALID_FIELD", "context.aws:SourceIp");
        assertError(client.post("/v1/authorize", check(ALICE, "s3:GetObject", "*", "{\"aws:TagKeys\": [\"a\", null]}")),
                400, "INVALID_FIELD", "context.aws:TagKeys[1]");
        assertError(client.post("/v1/authorize", check(ALICE, "s3:GetObject", "*",
                "{\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:user/carol\"}")), 400, "INVALID_FIELD",
                "context.aws:PrincipalArn");
        assertError(client.post("/v1/authorize", "{\"principal\": 7, \"action\": \"s3:GetObject\", \"resource\": \"*\"}"),
                400, "INVALID_FIELD", "principal");
        assertError(client.post("/v1/authorize", "{\"principal\": \"" + ALICE + "\", \"accessKeyId\": \"" + ALICE_KEY
                + "\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}"), 400, "INVALID_FIELD", "accessKeyId");
        assertError(client.post("/v1/authorize", "[]"), 400, "INVALID_FIELD", null);
        assertError(client.post("/v1/authorize", check("not-an-arn", "s3:GetObject", "*", "{}")), 400, "INVALID_FIELD",
                "principal");
    }

    @Test
    void unknownFieldsAreRefusedWithAHint() {
        ApiClient.Reply reply = client.post("/v1/authorize", "{\"principal\": \"" + ALICE + "\", \"action\": "
                + "\"s3:GetObject\", \"resouce\": \"*\"}");
        assertError(reply, 400, "UNKNOWN_FIELD", "resouce");
        assertThat(Json.text(reply.json(), "error.message")).isEqualTo("unknown field \"resouce\": did you mean "
                + "\"resource\"?");
        assertError(client.post("/v1/validate?typ=identity", "{}"), 400, "UNKNOWN_FIELD", "typ");
    }

    @Test
    void unknownPrincipalsAndBadCredentialsAreRefused() throws Exception {
        ApiClient.Reply nobody = client.post("/v1/authorize", check("arn:aws:iam::111122223333:user/nobody",
                "s3:GetObject", DATA_OBJECT, TLS_EU));
        assertError(nobody, 422, "UNKNOWN_PRINCIPAL", "principal");
        assertThat(Json.text(nobody.json(), "error.message")).contains("no user");
        assertError(client.post("/v1/authorize", check("arn:aws:iam::111122223333:role/AppRole", "s3:GetObject",
                DATA_OBJECT, TLS_EU)), 422, "UNKNOWN_PRINCIPAL", "principal");
        // bob's old key is inactive.
        assertError(client.post("/v1/authorize", "{\"accessKeyId\": \"AKIA5PVYUYK5GMNDBWHZ\", \"action\": "
                + "\"s3:GetObject\", \"resource\": \"*\"}"), 422, "INVALID_CREDENTIALS", "accessKeyId");
        IssuedSession session = vendorSession();
        String token = session.credentials().sessionToken();
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertError(client.post("/v1/authorize", "{\"accessKeyId\": \"" + session.credentials().accessKeyId()
                + "\", \"sessionToken\": \"" + tampered + "\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}"),
                422, "INVALID_CREDENTIALS", "sessionToken");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String reply = ApiClient.raw(server.api.socket(), "POST /v1/authorize HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: " + (HttpConfig.DEFAULT_MAX_BODY_BYTES + 1) + "\r\n\r\n{\"principal\": ");
        assertThat(reply).startsWith("HTTP/1.1 413 ");
        assertThat(reply).contains("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"the body is over this "
                + "endpoint's limit of " + HttpConfig.DEFAULT_MAX_BODY_BYTES + " bytes\"}}");
        // The server keeps serving.
        assertThat(client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU)).status())
                .isEqualTo(200);
    }

    @Test
    void pathsAndMethodsThatAreNotEndpoints() {
        assertError(client.get("/v1/nothing"), 404, "NOT_FOUND", null);
        ApiClient.Reply get = client.get("/v1/authorize");
        assertError(get, 405, "METHOD_NOT_ALLOWED", null);
        assertThat(get.headers().get("Allow")).isEqualTo("POST");
        assertError(client.post("/health", "{}"), 405, "METHOD_NOT_ALLOWED", null);
    }

    @Test
    void textBodiesMustBeUtf8AndQueriesValid() {
        ApiClient.Reply latin1 = client.send("POST", "/v1/simulate", "{\"id\": \"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertError(latin1, 400, "INVALID_ENCODING", null);
        assertError(client.post("/v1/validate?type=bucket", "{}"), 400, "INVALID_FIELD", "type");
        assertError(client.post("/v1/simulate?engine=fast", "{}"), 400, "INVALID_FIELD", "engine");
    }

    @Test
    void aRequestJettyCannotParseGetsAJsonError() {
        String reply = ApiClient.raw(server.api.socket(), "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 400 ");
        assertThat(reply).contains("\"code\":\"BAD_REQUEST\"");
    }

    @Test
    void anInternalErrorAnswersItsCodeAndTheServerGoesOn() {
        server.statusFailure = new IllegalStateException("a bug");
        try {
            assertError(client.get("/v1/status"), 500, "INTERNAL_ERROR", null);
        } finally {
            server.statusFailure = null;
        }
        assertThat(client.get("/v1/status").status()).isEqualTo(200);
    }
}
