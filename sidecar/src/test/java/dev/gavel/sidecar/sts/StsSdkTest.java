package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Answer;
import dev.gavel.eval.Decision;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.GetSessionTokenResponse;
import software.amazon.awssdk.services.sts.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * The AWS SDK for Java's own {@code StsClient}, with an endpoint override, against the STS query
 * API on loopback TCP: sessions it gets sign its next requests, the engine resolves them, and
 * refusals surface as the SDK's exceptions with AWS's codes and statuses.
 */
class StsSdkTest {

    static StsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new StsServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static StsClient client(AwsCredentialsProvider credentials) {
        return StsClient.builder()
                .endpointOverride(server.endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(retry -> retry.maxAttempts(1)))
                .build();
    }

    static StsClient client(AwsCredentials credentials) {
        return client(StaticCredentialsProvider.create(credentials));
    }

    static StsClient user(String accessKeyId) {
        return client(AwsBasicCredentials.create(accessKeyId, server.secret(accessKeyId)));
    }

    static StsClient session(Credentials credentials) {
        return client(AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken()));
    }

    @Test
    @SuppressWarnings("deprecation") // the SDK deprecates packedPolicySize(), which STS still answers
    void aUsersKeyAssumesARoleAndTheSessionSignsRequestsThatTheEngineAllows() {
        AssumeRoleResponse assumed;
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assumed = sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("audit-2026")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID));
        }
        Credentials credentials = assumed.credentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.secretAccessKey()).isNotBlank();
        assertThat(credentials.sessionToken()).isNotBlank();
        assertThat(credentials.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(55)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/audit-2026");
        assertThat(assumed.assumedRoleUser().assumedRoleId()).isEqualTo("AROA2WHUV4OEAFDMZGOSO:audit-2026");
        assertThat(assumed.packedPolicySize()).isNull();
        assertThat(assumed.sourceIdentity()).isNull();
        assertThat(assumed.responseMetadata().requestId()).isNotBlank();

        try (StsClient sts = session(credentials)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.arn()).isEqualTo(assumed.assumedRoleUser().arn());
            assertThat(identity.userId()).isEqualTo("AROA2WHUV4OEAFDMZGOSO:audit-2026");
            assertThat(identity.account()).isEqualTo(StsServer.PROD);
        }
        assertThat(check(credentials, "s3:GetObject").decision()).isEqualTo(Decision.ALLOWED);
        assertThat(check(credentials, "s3:PutObject").decision()).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aRefusedAssumeRoleIsTheSdksStsExceptionWithAccessDenied403() {
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE)
                    .roleSessionName("no-external-id")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorMessage()).contains(
                                "arn:aws:iam::777788889999:user/auditor is not authorized to perform: sts:AssumeRole "
                                + "on resource: " + StsServer.VENDOR_ROLE);
                        assertThat(e.requestId()).isNotBlank();
                    });
        }
    }

    @Test
    void callerIdentityNamesTheUserOfALongTermKey() {
        try (StsClient sts = user(StsServer.ALICE_KEY)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.arn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
            assertThat(identity.account()).isEqualTo(StsServer.PROD);
            assertThat(identity.userId())
                    .isEqualTo(server.engine.directory().user("arn:aws:iam::111122223333:user/alice").id());
        }
    }

    @Test
    void credentialsThatDoNotSignRightAreRefusedWithAwsCodes() {
        try (StsClient sts = client(AwsBasicCredentials.create(StsServer.ALICE_KEY, "not-alices-secret"))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e.statusCode()).isEqualTo(403);
            });
        }
        try (StsClient sts = client(AwsBasicCredentials.create("AKIAUNKNOWNKEY000000", "secret"))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                assertThat(e.statusCode()).isEqualTo(403);
            });
        }
        try (StsClient sts = user(StsServer.BOB_INACTIVE_KEY)) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e ->
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
    }

    @Test
    @SuppressWarnings("deprecation") // the SDK deprecates packedPolicySize(), which STS still answers
    void aSessionPolicyNarrowsTheSessionAndIsReportedAsPackedPolicySize() {
        String readOnlyReports = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::example-payments-reports\"}]}";
        AssumeRoleResponse assumed;
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assumed = sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("list-only")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).policy(readOnlyReports).durationSeconds(900));
        }
        assertThat(assumed.packedPolicySize()).isBetween(1, 100);
        assertThat(assumed.credentials().expiration()).isBefore(Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(check(assumed.credentials(), "s3:GetObject").decision()).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aMalformedSessionPolicyIsTheSdksModeledException() {
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("bad")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).policy("{\"Version\": \"2012-10-17\", \"Statement\": [")))
                    .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument");
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
        }
    }

    @Test
    void parametersOutOfRangeAreValidationErrorsThatNameTheMember() {
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("short")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).durationSeconds(60)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).contains("durationSeconds");
                    });
        }
    }

    @Test
    void sessionTagsAndASourceIdentityAreRefusedWhenTheTrustPolicyDoesNotAllowThem() {
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("tagged")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).tags(Tag.builder().key("team").value("audit").build())
                    .transitiveTagKeys("team")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("sts:TagSession");
                    });
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("sourced")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).sourceIdentity("auditor-jane")))
                    .isInstanceOfSatisfying(StsException.class, e ->
                            assertThat(e.awsErrorDetails().errorMessage()).contains("sts:SetSourceIdentity"));
        }
    }

    @Test
    void mfaFromTheSerialNumberAndTokenCodeLetsCarolIntoTheBreakGlassRole() throws Exception {
        try (StsClient sts = user(StsServer.CAROL_KEY)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.ADMIN_ROLE).roleSessionName("carol")))
                    .isInstanceOfSatisfying(StsException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
            String code = totp(server.engine.directory().mfaDevice("arn:aws:iam::111122223333:mfa/carol").seed());
            AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(StsServer.ADMIN_ROLE).roleSessionName("carol")
                    .serialNumber("arn:aws:iam::111122223333:mfa/carol").tokenCode(code));
            assertThat(assumed.assumedRoleUser().arn()).endsWith(":assumed-role/AdminRole/carol");
        }
    }

    @Test
    void getSessionTokenGivesAUserTemporaryCredentialsOfTheirOwn() {
        GetSessionTokenResponse token;
        try (StsClient sts = user(StsServer.BOB_KEY)) {
            token = sts.getSessionToken(r -> r.durationSeconds(3_600));
        }
        assertThat(token.credentials().accessKeyId()).startsWith("ASIA");
        try (StsClient sts = session(token.credentials())) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/bob");
            assertThatThrownBy(() -> sts.getSessionToken(r -> { }))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.statusCode()).isEqualTo(403);
                    });
        }
    }

    @Test
    void aRoleSessionChainsIntoAnotherRoleAndTheChainIsCappedAtAnHour() {
        AssumeRoleResponse first;
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            first = sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("first")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID));
        }
        try (StsClient sts = session(first.credentials())) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("second")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID).durationSeconds(7_200)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("role chaining");
                    });
        }
    }

    @Test
    void aGitHubActionsTokenAssumesTheDeployRoleUnsigned() throws Exception {
        String token = DemoIdentityProviders.githubToken(DemoIdentityProviders.MAIN_BRANCH);
        AssumeRoleWithWebIdentityResponse assumed;
        try (StsClient sts = client(AnonymousCredentialsProvider.create())) {
            assumed = sts.assumeRoleWithWebIdentity(r -> r.roleArn(StsServer.DEPLOY_ROLE).roleSessionName("deploy-42")
                    .webIdentityToken(token));
        }
        assertThat(assumed.subjectFromWebIdentityToken()).isEqualTo(DemoIdentityProviders.MAIN_BRANCH);
        assertThat(assumed.provider()).isEqualTo(StsServer.GITHUB_PROVIDER);
        assertThat(assumed.audience()).isEqualTo("sts.amazonaws.com");
        assertThat(assumed.assumedRoleUser().arn()).endsWith(":assumed-role/DeployRole/deploy-42");
        try (StsClient sts = session(assumed.credentials())) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo(assumed.assumedRoleUser().arn());
        }

        String otherBranch = DemoIdentityProviders.githubToken("repo:example-org/payments-service:ref:refs/heads/dev");
        try (StsClient sts = client(AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(r -> r.roleArn(StsServer.DEPLOY_ROLE)
                    .roleSessionName("deploy-43").webIdentityToken(otherBranch)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.statusCode()).isEqualTo(403);
                    });
        }
    }

    @Test
    @SuppressWarnings("deprecation") // the SDK deprecates packedPolicySize(), which STS still answers
    void aSignedSamlResponseAssumesTheAnalystRoleWithItsTagsAndSourceIdentity() throws Exception {
        String assertion = DemoIdentityProviders.exampleIdpResponse("alice", "team", "risk");
        AssumeRoleWithSamlResponse assumed;
        try (StsClient sts = client(AnonymousCredentialsProvider.create())) {
            assumed = sts.assumeRoleWithSAML(r -> r.roleArn(StsServer.ANALYST_ROLE)
                    .principalArn(StsServer.SAML_PROVIDER).samlAssertion(assertion));
        }
        assertThat(assumed.assumedRoleUser().arn()).endsWith(":assumed-role/SamlAnalystRole/alice");
        assertThat(assumed.sourceIdentity()).isEqualTo("alice");
        assertThat(assumed.issuer()).isEqualTo("https://idp.example.com/saml/metadata");
        assertThat(assumed.audience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(assumed.subjectType()).isEqualTo("persistent");
        assertThat(assumed.nameQualifier()).isNotBlank();
        assertThat(assumed.packedPolicySize()).isPositive();

        Credentials credentials = assumed.credentials();
        String workgroup = "arn:aws:athena:eu-west-1:111122223333:workgroup/risk-analytics";
        Answer own = server.engine.checkCredentials(credentials.accessKeyId(), credentials.sessionToken(),
                "athena:StartQueryExecution", workgroup,
                StsServer.TLS_EU.toBuilder().put("aws:ResourceTag/team", "risk").build());
        assertThat(own.decision()).isEqualTo(Decision.ALLOWED);

        try (StsClient sts = client(AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(() -> sts.assumeRoleWithSAML(r -> r.roleArn(StsServer.ANALYST_ROLE)
                    .principalArn(StsServer.SAML_PROVIDER).samlAssertion("bm90IGEgU0FNTCByZXNwb25zZQ==")))
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }

    @Test
    void sessionsIssuedBeforeAReloadStillResolveAfterIt() throws Exception {
        AssumeRoleResponse assumed;
        try (StsClient sts = user(StsServer.AUDITOR_KEY)) {
            assumed = sts.assumeRole(r -> r.roleArn(StsServer.VENDOR_ROLE).roleSessionName("before-reload")
                    .externalId(StsServer.VENDOR_EXTERNAL_ID));
        }
        long before = server.engine.version();
        assertThat(server.engine.reload()).isGreaterThan(before);
        try (StsClient sts = session(assumed.credentials())) {
            assertThat(sts.getCallerIdentity().arn()).endsWith("/before-reload");
        }
        assertThat(check(assumed.credentials(), "s3:GetObject").decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void eachRequestIsCountedByActionAndOutcome() throws Exception {
        try (StsClient sts = user(StsServer.ALICE_KEY)) {
            sts.getCallerIdentity();
        }
        assertThat(server.metricsText())
                .containsPattern("gavel_sts_requests_total\\{action=\"GetCallerIdentity\",outcome=\"ok\"} [1-9]");
    }

    private static Answer check(Credentials credentials, String action) {
        try {
            return server.engine.checkCredentials(credentials.accessKeyId(), credentials.sessionToken(), action,
                    StsServer.REPORT, StsServer.TLS_EU);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The current code of a virtual MFA device (RFC 6238: HMAC-SHA1, 30 s steps, six digits). */
    private static String totp(byte[] seed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(seed, "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(Instant.now().getEpochSecond() / 30).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
        return String.format("%06d", binary % 1_000_000);
    }
}
