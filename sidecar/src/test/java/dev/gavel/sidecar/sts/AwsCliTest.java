package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.Decision;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonValue;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS CLI ({@code aws sts ... --endpoint-url http://127.0.0.1:PORT}) against the STS query API:
 * Debian's awscli (version 2), installed once for the class when missing; another CLI on the PATH
 * when it cannot be installed; skipped, saying why, when neither is possible.
 */
class AwsCliTest {

    static AwsCli aws;
    static StsServer server;

    @BeforeAll
    static void start() throws Exception {
        try {
            aws = AwsCli.locate();
        } catch (IllegalStateException e) {
            Assumptions.abort("AwsCliTest needs the AWS CLI: " + e.getMessage());
        }
        server = new StsServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, String> keys(String accessKeyId) {
        return Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", server.secret(accessKeyId));
    }

    static Map<String, String> session(JsonValue assumed) {
        return Map.of("AWS_ACCESS_KEY_ID", text(assumed, "Credentials.AccessKeyId"),
                "AWS_SECRET_ACCESS_KEY", text(assumed, "Credentials.SecretAccessKey"),
                "AWS_SESSION_TOKEN", text(assumed, "Credentials.SessionToken"));
    }

    /** Runs {@code aws sts ACTION...} against the server, and returns its parsed JSON output. */
    static JsonValue sts(Map<String, String> environment, String... arguments) throws Exception {
        AwsCli.Result result = run(environment, arguments);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return new JsonReader(1 << 20, 64).read(result.out());
    }

    static AwsCli.Result run(Map<String, String> environment, String... arguments) throws Exception {
        String[] line = new String[arguments.length + 3];
        line[0] = "sts";
        System.arraycopy(arguments, 0, line, 1, arguments.length);
        line[line.length - 2] = "--endpoint-url";
        line[line.length - 1] = server.endpoint.toString();
        return aws.run(environment, line);
    }

    /** The string at a dotted path, such as {@code Credentials.AccessKeyId}; null when absent. */
    static String text(JsonValue root, String path) {
        JsonValue current = root;
        for (String name : path.split("\\.")) {
            current = current instanceof JsonObject object ? object.get(name) : null;
        }
        return current == null ? null : current.scalarText();
    }

    @Test
    void assumeRoleGivesCredentialsThatTheCliAndTheEngineUse() throws Exception {
        JsonValue assumed = sts(keys(StsServer.AUDITOR_KEY), "assume-role", "--role-arn", StsServer.VENDOR_ROLE,
                "--role-session-name", "audit-2026", "--external-id", StsServer.VENDOR_EXTERNAL_ID);
        assertThat(text(assumed, "Credentials.AccessKeyId")).startsWith("ASIA");
        assertThat(text(assumed, "Credentials.Expiration")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*");
        assertThat(text(assumed, "AssumedRoleUser.Arn"))
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/audit-2026");
        assertThat(text(assumed, "AssumedRoleUser.AssumedRoleId")).isEqualTo("AROA2WHUV4OEAFDMZGOSO:audit-2026");
        assertThat(text(assumed, "PackedPolicySize")).isNull();

        JsonValue identity = sts(session(assumed), "get-caller-identity");
        assertThat(text(identity, "Arn")).isEqualTo(text(assumed, "AssumedRoleUser.Arn"));
        assertThat(text(identity, "Account")).isEqualTo(StsServer.PROD);
        assertThat(server.engine.checkCredentials(text(assumed, "Credentials.AccessKeyId"),
                text(assumed, "Credentials.SessionToken"), "s3:GetObject", StsServer.REPORT, StsServer.TLS_EU)
                .decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aRefusedAssumeRoleIsPrintedAsTheCliPrintsAwssErrors() throws Exception {
        AwsCli.Result result = run(keys(StsServer.AUDITOR_KEY), "assume-role", "--role-arn", StsServer.VENDOR_ROLE,
                "--role-session-name", "audit-2026");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("An error occurred (AccessDenied) when calling the AssumeRole operation: "
                + "User: arn:aws:iam::777788889999:user/auditor is not authorized to perform: sts:AssumeRole on "
                + "resource: " + StsServer.VENDOR_ROLE);
    }

    @Test
    void getCallerIdentityNamesTheUserOfALongTermKey() throws Exception {
        JsonValue identity = sts(keys(StsServer.ALICE_KEY), "get-caller-identity");
        assertThat(text(identity, "Arn")).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(text(identity, "Account")).isEqualTo(StsServer.PROD);
    }

    @Test
    void managedSessionPoliciesTravelAsPolicyArnsMembers() throws Exception {
        JsonValue assumed = sts(keys(StsServer.AUDITOR_KEY), "assume-role", "--role-arn", StsServer.VENDOR_ROLE,
                "--role-session-name", "audit-read-only", "--external-id", StsServer.VENDOR_EXTERNAL_ID,
                "--policy-arns", "arn=arn:aws:iam::111122223333:policy/AuditRead", "--duration-seconds", "900");
        assertThat(Integer.parseInt(text(assumed, "PackedPolicySize"))).isBetween(1, 100);
        String key = text(assumed, "Credentials.AccessKeyId");
        String token = text(assumed, "Credentials.SessionToken");
        assertThat(server.engine.checkCredentials(key, token, "s3:GetObject", StsServer.REPORT, StsServer.TLS_EU)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(server.engine.checkCredentials(key, token, "s3:GetBucketPolicy",
                "arn:aws:s3:::example-payments-reports", StsServer.TLS_EU).decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void assumeRoleWithWebIdentityNeedsNoCredentials() throws Exception {
        String token = DemoIdentityProviders.githubToken(DemoIdentityProviders.MAIN_BRANCH);
        JsonValue assumed = sts(Map.of(), "assume-role-with-web-identity", "--role-arn", StsServer.DEPLOY_ROLE,
                "--role-session-name", "deploy-42", "--web-identity-token", token);
        assertThat(text(assumed, "AssumedRoleUser.Arn")).endsWith(":assumed-role/DeployRole/deploy-42");
        assertThat(text(assumed, "SubjectFromWebIdentityToken")).isEqualTo(DemoIdentityProviders.MAIN_BRANCH);
        assertThat(text(assumed, "Provider")).isEqualTo(StsServer.GITHUB_PROVIDER);
    }
}
