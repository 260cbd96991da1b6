package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.SharedCorpus;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.sts.SamlTestIdp;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/** {@code gavel check} and {@code gavel sts} against corpus/demo, as the README shows them. */
class DirectoryCommandsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String DEMO = "corpus/demo";
    private static final String AUDITOR_KEY = "AKIAGVD66T24PKKALPTO";
    private static final String VENDOR_ROLE = "arn:aws:iam::111122223333:role/VendorAuditRole";
    private static final String REPORT = "arn:aws:s3:::example-payments-reports/2026/q3.csv";
    private static final String[] FACTS = {"--context", "aws:SecureTransport=true", "--context",
        "aws:RequestedRegion=eu-west-1"};

    record Run(int exit, String out, String err) {}

    private static Run run(Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = GavelCli.commandLine(Clock.fixed(now, ZoneOffset.UTC));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return new Run(command.execute(args), out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(NOW, args);
    }

    private static String[] with(String[] args, String... more) {
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void assumeRolePrintsWhatAwsStsPrints() throws Exception {
        Run result = run("sts", "assume-role", "--directory", DEMO, "--access-key-id", AUDITOR_KEY, "--role-arn",
                VENDOR_ROLE, "--role-session-name", "audit-2026", "--external-id", "vendor-7f3a91");
        assertThat(result.exit()).as(result.err()).isZero();
        JsonObject output = (JsonObject) new JsonReader(100_000, 10).read(result.out());
        JsonObject credentials = (JsonObject) output.get("Credentials");
        assertThat(credentials.get("AccessKeyId").scalarText()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.get("SecretAccessKey").scalarText()).hasSize(40);
        assertThat(credentials.get("Expiration").scalarText()).isEqualTo("2026-11-28T13:00:00+00:00");
        JsonObject user = (JsonObject) output.get("AssumedRoleUser");
        assertThat(user.get("Arn").scalarText()).isEqualTo("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/audit-2026");
        assertThat(user.get("AssumedRoleId").scalarText()).endsWith(":audit-2026").startsWith("AROA");
        assertThat(output.get("PackedPolicySize")).isNull();
        assertThat(result.out()).startsWith("{\n    \"Credentials\": {\n        \"AccessKeyId\": \"ASIA");
    }

    @Test
    void theCredentialsAssumeRolePrintsWorkWithCheck() {
        Run assumed = run("sts", "assume-role", "--directory", DEMO, "--access-key-id", AUDITOR_KEY, "--role-arn",
                VENDOR_ROLE, "--role-session-name", "audit-2026", "--external-id", "vendor-7f3a91", "--output", "text");
        String[] credentials = assumed.out().strip().split(" ");
        assertThat(credentials).hasSize(3);
        Run check = run(with(new String[] {"check", "--directory", DEMO, "--access-key-id", credentials[0],
            "--session-token", credentials[2], "--action", "s3:GetObject", "s3:PutObject", "--resource", REPORT,
            "--format", "text", "--explain"}, FACTS));
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).contains("allowed       s3:GetObject " + REPORT)
                .contains("implicitDeny  s3:PutObject " + REPORT)
                .contains("resource policy arn:aws:s3:::example-payments-reports statement");
        Run expired = run(NOW.plusSeconds(3600), "check", "--directory", DEMO, "--access-key-id", credentials[0],
                "--session-token", credentials[2], "--action", "s3:GetObject", "--resource", REPORT);
        assertThat(expired.exit()).isEqualTo(2);
        assertThat(expired.err()).contains("An error occurred (ExpiredToken)");
    }

    @Test
    void refusalsArePrintedAsTheAwsCliPrintsThem() {
        Run noExternalId = run("sts", "assume-role", "--directory", DEMO, "--access-key-id", AUDITOR_KEY, "--role-arn",
                VENDOR_ROLE, "--role-session-name", "audit-2026");
        assertThat(noExternalId.exit()).isEqualTo(1);
        assertThat(noExternalId.err()).startsWith("An error occurred (AccessDenied) when calling the AssumeRole "
                + "operation: User: arn:aws:iam::777788889999:user/auditor is not authorized to perform: sts:AssumeRole "
                + "on resource: " + VENDOR_ROLE);
        Run inactive = run("sts", "get-session-token", "--directory", DEMO, "--access-key-id", "AKIA5PVYUYK5GMNDBWHZ");
        assertThat(inactive.exit()).isEqualTo(1);
        assertThat(inactive.err()).contains("(InvalidClientTokenId)");
        Run badName = run("sts", "assume-role", "--directory", DEMO, "--access-key-id", AUDITOR_KEY, "--role-arn",
                VENDOR_ROLE, "--role-session-name", "a b", "--external-id", "vendor-7f3a91");
        assertThat(badName.err()).contains("(ValidationError)").contains("'roleSessionName'");
    }

    @Test
    void checkPrintsSimulatePrincipalPolicyResults() throws Exception {
        Run result = run(with(new String[] {"check", "--directory", DEMO, "--principal",
            "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "s3:DeleteObject", "--resource",
            "arn:aws:s3:::example-payments-data/orders/1.csv", "--explain"}, FACTS));
        assertThat(result.exit()).as(result.err()).isZero();
        JsonArray results = (JsonArray) ((JsonObject) new JsonReader(100_000, 10).read(result.out()))
                .get("EvaluationResults");
        assertThat(results.elements()).hasSize(2);
        JsonObject get = (JsonObject) results.elements().get(0);
        assertThat(get.get("EvalActionName").scalarText()).isEqualTo("s3:GetObject");
        assertThat(get.get("EvalDecision").scalarText()).isEqualTo("allowed");
        assertThat(((JsonArray) get.get("MatchedStatements")).elements()).isNotEmpty();
        JsonObject delete = (JsonObject) results.elements().get(1);
        assertThat(delete.get("EvalDecision").scalarText()).isEqualTo("implicitDeny");
        assertThat(((JsonObject) delete.get("EvalDecisionDetails")).get("DecidedBy").scalarText()).isEqualTo("boundary");
    }

    @Test
    void checkWithAnUnknownContextAnswersConditionalWithTheConditionThatMustHold() throws Exception {
        String[] alice = {"check", "--directory", DEMO, "--principal", "arn:aws:iam::111122223333:user/alice",
            "--action", "s3:GetObject", "s3:DeleteObject", "--resource", "arn:aws:s3:::example-payments-data/orders/1.csv"};
        Run text = run(with(alice, "--unknown-context", "--format", "text"));
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).isEqualTo("""
                conditional   s3:GetObject arn:aws:s3:::example-payments-data/orders/1.csv
                    when: NOT (StringNotEquals aws:RequestedRegion ["eu-west-1", "us-east-1"]) AND NOT (BoolIfExists \
                aws:SecureTransport ["false"]) AND NOT (Bool aws:SecureTransport ["false"])
                implicitDeny  s3:DeleteObject arn:aws:s3:::example-payments-data/orders/1.csv
                    explicitly denied when: StringNotEquals aws:RequestedRegion ["eu-west-1", "us-east-1"] OR \
                BoolIfExists aws:SecureTransport ["false"] OR Bool aws:SecureTransport ["false"]
                """);

        Run json = run(with(alice, "--unknown-key", "aws:RequestedRegion", "--context", "aws:SecureTransport=true"));
        assertThat(json.exit()).as(json.err()).isZero();
        JsonObject get = (JsonObject) ((JsonArray) ((JsonObject) new JsonReader(100_000, 20).read(json.out()))
                .get("EvaluationResults")).elements().get(0);
        assertThat(get.get("EvalDecision").scalarText()).isEqualTo("conditional");
        JsonObject clause = (JsonObject) ((JsonObject) get.get("EvalCondition")).get("not");
        assertThat(clause.get("clause").scalarText()).isEqualTo("condition");
        assertThat(clause.get("operator").scalarText()).isEqualTo("StringNotEquals");
        assertThat(clause.get("key").scalarText()).isEqualTo("aws:RequestedRegion");
        assertThat(((JsonObject) clause.get("statement")).get("statement").scalarText())
                .isEqualTo("DenyOutsideApprovedRegions");
        assertThat(get.get("EvalExplicitDenyCondition")).isInstanceOf(JsonObject.class);
        assertThat(((JsonArray) get.get("MissingContextValues")).elements()).singleElement()
                .satisfies(key -> assertThat(key.scalarText()).isEqualTo("aws:RequestedRegion"));
    }

    @Test
    void checkWithEveryKeyThatMattersGivenAnswersAsWithoutUnknownKeys() {
        String[] alice = with(new String[] {"check", "--directory", DEMO, "--principal",
            "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "s3:DeleteObject", "kms:Decrypt",
            "--resource", "arn:aws:s3:::example-payments-data/orders/1.csv", "*", "--format", "text", "--explain"},
            FACTS);
        Run decided = run(alice);
        Run analysed = run(with(alice, "--unknown-context"));
        assertThat(analysed.exit()).as(analysed.err()).isZero();
        assertThat(analysed.out()).isEqualTo(decided.out()).contains("allowed       s3:GetObject");
    }

    @Test
    void checkRefusesUnknownKeysThatAreKnownOrAreNoKeys() {
        String[] alice = {"check", "--directory", DEMO, "--principal", "arn:aws:iam::111122223333:user/alice",
            "--action", "s3:GetObject"};
        Run filled = run(with(alice, "--unknown-key", "aws:PrincipalTag/team"));
        assertThat(filled.exit()).isEqualTo(2);
        assertThat(filled.err()).isEqualTo("gavel check: --unknown-key: \"aws:PrincipalTag/team\" is filled from the "
                + "principal, the resource's account or the clock, so it is always known\n");
        Run given = run(with(alice, "--unknown-key", "aws:SourceIp", "--context", "aws:SourceIp=192.0.2.1"));
        assertThat(given.exit()).isEqualTo(2);
        assertThat(given.err()).contains("\"aws:SourceIp\" is given with --context, so it is known");
        Run notAKey = run(with(alice, "--unknown-key", "SourceIp"));
        assertThat(notAKey.exit()).isEqualTo(2);
        assertThat(notAKey.err()).contains("gavel check: --unknown-key: \"SourceIp\" is not a context key");
    }

    @Test
    void checkThroughAnEndpointNeedsTheEndpointPolicyToAllow(@TempDir Path folder) throws Exception {
        Path readOnly = folder.resolve("endpoint.json");
        Files.writeString(readOnly, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}");
        Run result = run(with(new String[] {"check", "--directory", DEMO, "--principal",
            "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "s3:PutObject", "--resource",
            "arn:aws:s3:::example-payments-data/orders/1.csv", "--endpoint-policy", readOnly.toString(),
            "--format", "text", "--explain"}, FACTS));
        assertThat(result.exit()).as(result.err()).isZero();
        // alice's policies allow both; the endpoint lets only reads through.
        assertThat(result.out()).contains("allowed       s3:GetObject")
                .contains("implicitDeny  s3:PutObject")
                .contains("no statement of the VPC endpoint policy allows the request");

        Path noPrincipal = folder.resolve("bad-endpoint.json");
        Files.writeString(noPrincipal, "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"*\", \"Resource\": \"*\"}]}");
        Run refused = run("check", "--directory", DEMO, "--principal", "arn:aws:iam::111122223333:user/alice",
                "--action", "s3:GetObject", "--endpoint-policy", noPrincipal.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains(noPrincipal + ":2:16: ERROR MISSING_PRINCIPAL");
    }

    @Test
    void checkRefusesRolesReservedKeysAndBrokenDirectories(@TempDir Path folder) throws Exception {
        Run role = run("check", "--directory", DEMO, "--principal", "arn:aws:iam::111122223333:role/AppRole",
                "--action", "s3:GetObject");
        assertThat(role.exit()).isEqualTo(2);
        assertThat(role.err()).contains("is a role, and a role makes no request itself");
        Run reserved = run("check", "--directory", DEMO, "--principal", "arn:aws:iam::111122223333:user/alice",
                "--action", "s3:GetObject", "--context", "aws:username=carol");
        assertThat(reserved.exit()).isEqualTo(2);
        assertThat(reserved.err()).contains("context.aws:username: is filled from the principal");
        Files.createDirectories(folder.resolve("accounts"));
        Files.writeString(folder.resolve("accounts/111122223333.json"), "{\"UserDetailList\": [");
        Run broken = run("check", "--directory", folder.toString(), "--principal",
                "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject");
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).contains("111122223333.json:1:").contains("did not load: 1 problem");
    }

    @Test
    void checkTakesARealDumpFileAsTheDirectory() {
        Path dump = SharedCorpus.require("corpus/account-dumps/200611803367.json");
        Run result = run("check", "--directory", dump.toString(), "--principal",
                "arn:aws:iam::200611803367:user/fn1-privesc3-partial-user", "--action", "iam:PassRole",
                "ec2:RunInstances", "s3:GetObject", "--resource", "*", "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                allowed       iam:PassRole *
                allowed       ec2:RunInstances *
                implicitDeny  s3:GetObject *
                """);
        Run other = run("check", "--directory", SharedCorpus.require("corpus/account-dumps/012345678901.json")
                .toString(), "--principal", "arn:aws:iam::012345678901:user/biden", "--action", "s3:PutObject",
                "--resource", "arn:aws:s3:::any-bucket/key", "--format", "text");
        assertThat(other.exit()).as(other.err()).isZero();
        assertThat(other.out()).startsWith("allowed       s3:PutObject");
    }

    @Test
    void checkReportsADumpFileWhoseArnsDisagree(@TempDir Path folder) throws Exception {
        Path dump = folder.resolve("details.json");
        Files.writeString(dump, """
                {"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a"},
                                    {"UserName": "b", "Arn": "arn:aws:iam::444455556666:user/b"}]}
                """);
        Run result = run("check", "--directory", dump.toString(), "--principal", "arn:aws:iam::111122223333:user/a",
                "--action", "s3:GetObject");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo(dump + ":2:46: UserDetailList[1].Arn: \"arn:aws:iam::444455556666:user/b\""
                + " belongs to account 444455556666, but the dump's first ARN, at 1:46, belongs to account 111122223333:"
                + " a dump holds one account\ngavel: the directory " + dump + " did not load: 1 problem\n");
    }

    @Test
    void aGitHubTokenFileAssumesTheDeployRole(@TempDir Path folder) throws Exception {
        Path token = folder.resolve("token.jwt");
        Files.writeString(token, githubToken(new JWTClaimsSet.Builder()));
        Run result = run("sts", "assume-role-with-web-identity", "--directory", DEMO, "--role-arn",
                "arn:aws:iam::111122223333:role/DeployRole", "--role-session-name", "gh-run-1",
                "--web-identity-token", "file://" + token);
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"SubjectFromWebIdentityToken\": \"repo:example-org/payments-service:ref:refs/heads/main\"")
                .contains("\"Provider\": \"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"")
                .contains("\"Audience\": \"sts.amazonaws.com\"")
                .doesNotContain("PackedPolicySize").doesNotContain("SourceIdentity");
    }

    @Test
    void aGitHubTokenWithSessionTagsAndASourceIdentityPrintsThemAsAwsDoes(@TempDir Path folder) throws Exception {
        Path token = folder.resolve("token.jwt");
        Files.writeString(token, githubToken(new JWTClaimsSet.Builder()
                .claim("https://aws.amazon.com/tags",
                        Map.of("principal_tags", Map.of("environment", List.of("staging"))))
                .claim("https://aws.amazon.com/source_identity", "octocat")));
        Run result = run("sts", "assume-role-with-web-identity", "--directory", DEMO, "--role-arn",
                "arn:aws:iam::111122223333:role/DeployRole", "--role-session-name", "gh-run-2",
                "--web-identity-token", "file://" + token);
        assertThat(result.exit()).as(result.err()).isZero();
        JsonObject output = (JsonObject) new JsonReader(100_000, 10).read(result.out());
        assertThat(output.members()).extracting(JsonObject.Member::name).containsExactly("Credentials",
                "SubjectFromWebIdentityToken", "AssumedRoleUser", "PackedPolicySize", "Provider", "Audience",
                "SourceIdentity");
        assertThat(output.get("SourceIdentity").scalarText()).isEqualTo("octocat");
        assertThat(Integer.parseInt(output.get("PackedPolicySize").scalarText())).isBetween(1, 100);
    }

    @Test
    void aSamlSignInWithSessionTagsPrintsThemAndItsCredentialsDecideByTag(@TempDir Path folder) throws Exception {
        SamlTestIdp idp = SamlTestIdp.load("/dev/gavel/demo/example-idp.p12");
        String analystRole = "arn:aws:iam::111122223333:role/SamlAnalystRole";
        String provider = "arn:aws:iam::111122223333:saml-provider/ExampleIdP";
        Document response = new SamlTestIdp.Response(NOW).issuer("https://idp.example.com/saml/metadata")
                .attribute("https://aws.amazon.com/SAML/Attributes/Role", analystRole + "," + provider)
                .attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "alice")
                .attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", "risk")
                .attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter", "4410")
                .attribute("https://aws.amazon.com/SAML/Attributes/SourceIdentity", "alice")
                .build();
        idp.signAssertion(response);
        Path assertion = folder.resolve("response.b64");
        Files.writeString(assertion, SamlTestIdp.encode(response));
        String[] signIn = {"sts", "assume-role-with-saml", "--directory", DEMO, "--role-arn", analystRole,
            "--principal-arn", provider, "--saml-assertion", "file://" + assertion};

        Run result = run(signIn);
        assertThat(result.exit()).as(result.err()).isZero();
        JsonObject output = (JsonObject) new JsonReader(100_000, 10).read(result.out());
        assertThat(output.members()).extracting(JsonObject.Member::name).containsExactly("Credentials",
                "AssumedRoleUser", "PackedPolicySize", "Subject", "SubjectType", "Issuer", "Audience", "NameQualifier",
                "SourceIdentity");
        assertThat(output.get("SourceIdentity").scalarText()).isEqualTo("alice");

        String[] credentials = run(with(signIn, "--output", "text")).out().strip().split(" ");
        String workgroup = "arn:aws:athena:eu-west-1:111122223333:workgroup/risk-analytics";
        Run own = run(with(new String[] {"check", "--directory", DEMO, "--access-key-id", credentials[0],
            "--session-token", credentials[2], "--action", "athena:StartQueryExecution", "--resource", workgroup,
            "--context", "aws:ResourceTag/team=risk", "--format", "text"}, FACTS));
        assertThat(own.out()).as(own.err()).startsWith("allowed ");
        Run other = run(with(new String[] {"check", "--directory", DEMO, "--access-key-id", credentials[0],
            "--session-token", credentials[2], "--action", "athena:StartQueryExecution", "--resource", workgroup,
            "--context", "aws:ResourceTag/team=payments", "--format", "text"}, FACTS));
        assertThat(other.out()).as(other.err()).startsWith("implicitDeny ");
    }

    /** A GitHub Actions ID token for main, signed with the demo's key, with the claims given. */
    private static String githubToken(JWTClaimsSet.Builder claims) throws Exception {
        RSAKey key;
        try (InputStream in = DirectoryCommandsTest.class.getResourceAsStream(
                "/dev/gavel/demo/github-oidc-private-jwk.json")) {
            key = RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        claims.issuer("https://token.actions.githubusercontent.com")
                .subject("repo:example-org/payments-service:ref:refs/heads/main").audience("sts.amazonaws.com")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
