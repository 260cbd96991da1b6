package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.PolicyType;
import dev.gavel.saml.SamlMetadata;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.SamlRequest;
import dev.gavel.sts.SamlTestIdp;
import dev.gavel.sts.StsException;
import dev.gavel.sts.Sts;
import dev.gavel.sts.WebIdentityRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The demo directory in {@code corpus/demo}: it loads, and the decisions its README describes are
 * the ones AWS's evaluation logic gives.
 */
class DemoDirectoryTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String ORG = "o-a1b2c3d4e5";
    static final String PROD = "111122223333";

    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String BOB = "arn:aws:iam::111122223333:user/bob";
    static final String CAROL = "arn:aws:iam::111122223333:user/carol";
    static final String DAVE = "arn:aws:iam::444455556666:user/dave";
    static final String VENDOR_AUDITOR = "arn:aws:iam::777788889999:user/auditor";
    static final String ORG_ADMIN = "arn:aws:iam::999988887777:user/org-admin";
    static final String APP_SESSION = "arn:aws:sts::111122223333:assumed-role/AppRole/i-0abc";
    static final String VENDOR_SESSION = "arn:aws:sts::111122223333:assumed-role/VendorAuditRole/vendor-audit";
    static final String DEPLOY_SESSION = "arn:aws:sts::111122223333:assumed-role/DeployRole/github-run-4711";
    static final String ANALYST_SESSION = "arn:aws:sts::111122223333:assumed-role/SamlAnalystRole/analyst";

    static final String DATA_OBJECT = "arn:aws:s3:::example-payments-data/orders/2026-11-27.csv";
    static final String REPORT_OBJECT = "arn:aws:s3:::example-payments-reports/2026/q3-summary.pdf";
    static final String ARTIFACT_OBJECT = "arn:aws:s3:::example-payments-artifacts/payments-service/build-1042.zip";
    static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:orders";
    static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String REPORTS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ba0987654321";
    static final String FUNCTION = "arn:aws:lambda:eu-west-1:111122223333:function:payments-api";
    static final String APP_ROLE = "arn:aws:iam::111122223333:role/AppRole";
    static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/AdminRole";
    static final String DEPLOY_ROLE = "arn:aws:iam::111122223333:role/DeployRole";
    static final String PLATFORM_OPS_ROLE = "arn:aws:iam::111122223333:role/PlatformOpsRole";
    static final String VENDOR_AUDIT_ROLE = "arn:aws:iam::111122223333:role/VendorAuditRole";
    static final String GITHUB_PROVIDER =
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    static final String SAML_PROVIDER = "arn:aws:iam::111122223333:saml-provider/ExampleIdP";
    static final String ANALYST_ROLE = "arn:aws:iam::111122223333:role/SamlAnalystRole";
    static final String RISK_WORKGROUP = "arn:aws:athena:eu-west-1:111122223333:workgroup/risk-analytics";
    static final String PAYMENTS_WORKGROUP = "arn:aws:athena:eu-west-1:111122223333:workgroup/payments-analytics";
    static final String WORKER_FUNCTION = "arn:aws:lambda:eu-west-1:111122223333:function:orders-worker";

    /** An HTTPS request in the home region: what most demo requests carry. */
    static final RequestContext TLS_EU = RequestContext.builder()
            .put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1").build();

    static Directory directory;
    static Authorizer authorizer;

    @BeforeAll
    static void load() throws Exception {
        directory = DirectoryLoader.load(Path.of("corpus", "demo"));
        authorizer = new Authorizer(directory, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Evaluation evaluate(String principal, String action, String resource, RequestContext context)
            throws RequestException {
        return authorizer.authorize(authorizer.identity(principal), action, resource, context);
    }

    private static Decision decide(String principal, String action, String resource, RequestContext context)
            throws RequestException {
        return evaluate(principal, action, resource, context).decision();
    }

    /** Decides as a request made right after the caller passed an MFA check. */
    private static Decision decideWithMfa(String principal, String action, String resource, RequestContext context)
            throws RequestException {
        Authorizer.Prepared prepared = authorizer.prepare(authorizer.identity(principal), action, resource, context,
                NOW.minusSeconds(30));
        return new ReferenceEvaluator().evaluate(prepared.request(), prepared.policies()).decision();
    }

    private static RequestContext context(String... keysAndValues) {
        RequestContext.Builder builder = RequestContext.builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return builder.build();
    }

    // ---------------------------------------------------------------- what the directory holds

    @Test
    void theDemoLoadsWithEveryFile() {
        assertThat(directory.accounts()).extracting(Account::id)
                .containsExactlyInAnyOrder("111122223333", "444455556666", "777788889999", "999988887777");
        assertThat(directory.organization().id()).isEqualTo(ORG);
        assertThat(directory.organization().managementAccountId()).isEqualTo("999988887777");
        assertThat(directory.organization().orgPath("777788889999")).isNull();
        assertThat(directory.role(DEPLOY_ROLE)).isNotNull();
        assertThat(directory.role("arn:aws:iam::111122223333:role/SamlAnalystRole").maxSessionDurationSeconds())
                .isEqualTo(14_400);
        assertThat(directory.resourcePolicy(DATA_OBJECT).accountId()).isEqualTo(PROD);
        assertThat(directory.sessionKeys()).extracting(SessionKey::id).containsExactly("demo-2026-11", "demo-2026-05");
    }

    @Test
    void accessKeysAndMfaDevicesBelongToTheirUsers() {
        assertThat(directory.accessKey("AKIAW4POA2WMOQQL6P2Z").userArn()).isEqualTo(ALICE);
        assertThat(directory.accessKey("AKIAI4D2DUWHTCUYHTYF").active()).isTrue();
        assertThat(directory.accessKey("AKIA5PVYUYK5GMNDBWHZ")).satisfies(old -> {
            assertThat(old.userArn()).isEqualTo(BOB);
            assertThat(old.active()).isFalse();
        });
        assertThat(directory.accessKey("AKIAXE3KLXKOPZFXPRQT").userArn()).isEqualTo(CAROL);
        assertThat(directory.accessKey("AKIA7TAEWT7C3ALCUM56").userArn()).isEqualTo(DAVE);
        assertThat(directory.accessKey("AKIAGVD66T24PKKALPTO").userArn()).isEqualTo(VENDOR_AUDITOR);
        assertThat(directory.mfaDevice("arn:aws:iam::111122223333:mfa/carol").userArn()).isEqualTo(CAROL);
        assertThat(directory.mfaDevice("arn:aws:iam::444455556666:mfa/dave").seed()).hasSize(20);
    }

    @Test
    void theOidcProviderPublishesThePublicHalfOfTheTestKey() throws Exception {
        RSAKey privateKey = privateJwk();
        OidcProvider github = directory.oidcProvider(GITHUB_PROVIDER);
        RSAKey published = (RSAKey) JWKSet.parse(github.jwks()).getKeyByKeyId(privateKey.getKeyID());
        assertThat(published).isNotNull();
        assertThat(published.isPrivate()).isFalse();
        assertThat(published.toRSAPublicKey()).isEqualTo(privateKey.toRSAPublicKey());
        assertThat(github.clientIds()).containsExactly("sts.amazonaws.com");
    }

    @Test
    void theSamlMetadataHoldsTheTestKeystoresCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = DemoDirectoryTest.class.getResourceAsStream("/dev/gavel/demo/example-idp.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        SamlMetadata metadata = SamlMetadata.parse(directory.samlProvider(SAML_PROVIDER).metadataXml());
        assertThat(metadata.entityId()).isEqualTo("https://idp.example.com/saml/metadata");
        assertThat(metadata.certificates()).containsExactly(
                (X509Certificate) store.getCertificate("idp"));
        assertThat(store.getKey("idp", "changeit".toCharArray())).isNotNull();
    }

    // ---------------------------------------------------------------- prod users

    @Test
    void aliceReadsPaymentsDataOverTlsInTheHomeRegion() throws Exception {
        assertThat(decide(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(ALICE, "s3:PutObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(ALICE, "sqs:SendMessage", QUEUE, TLS_EU)).isEqualTo(Decision.ALLOWED);
        // The key policy delegates to the account, so her group's policy suffices.
        assertThat(decide(ALICE, "kms:Decrypt", KEY, TLS_EU)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void alicesBoundaryLeavesOutDeletingWhatHerGroupAllows() throws Exception {
        Evaluation delete = evaluate(ALICE, "s3:DeleteObject", DATA_OBJECT, TLS_EU);
        assertThat(delete.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(delete.explanation().decidedBy()).isEqualTo(PolicyType.BOUNDARY);
    }

    @Test
    void alicePassesAppRoleOnlyToComputeServices() throws Exception {
        assertThat(decide(ALICE, "iam:PassRole", APP_ROLE, context("iam:PassedToService", "lambda.amazonaws.com")))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(ALICE, "iam:PassRole", APP_ROLE, context("iam:PassedToService", "ecs-tasks.amazonaws.com")))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(ALICE, "iam:PassRole", ADMIN_ROLE, context("iam:PassedToService", "lambda.amazonaws.com")))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theRegionGuardrailDeniesOutsideTheApprovedRegions() throws Exception {
        RequestContext sydney = context("aws:SecureTransport", "true", "aws:RequestedRegion", "ap-southeast-2");
        Evaluation read = evaluate(ALICE, "s3:GetObject", DATA_OBJECT, sydney);
        assertThat(read.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(read.explanation().decidedBy()).isEqualTo(PolicyType.SCP);
        // Even AdministratorAccess cannot launch there...
        assertThat(decide(CAROL, "ec2:RunInstances", "arn:aws:ec2:ap-southeast-2:111122223333:instance/*", sydney))
                .isEqualTo(Decision.EXPLICIT_DENY);
        // ...but global services are exempt, and us-east-1 is approved.
        assertThat(decide(CAROL, "iam:ListUsers", "*", sydney)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(CAROL, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*",
                context("aws:RequestedRegion", "us-east-1"))).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void theManagementAccountIsOutsideTheWorkloadsGuardrail() throws Exception {
        RequestContext sydney = context("aws:RequestedRegion", "ap-southeast-2");
        assertThat(decide(ORG_ADMIN, "ec2:RunInstances", "arn:aws:ec2:ap-southeast-2:999988887777:instance/*", sydney))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void noMemberAccountMayLeaveTheOrganization() throws Exception {
        Evaluation leave = evaluate(CAROL, "organizations:LeaveOrganization", "*", TLS_EU);
        assertThat(leave.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(leave.explanation().decidedBy()).isEqualTo(PolicyType.SCP);
    }

    @Test
    void theSecureTransportRcpDeniesPlainHttp() throws Exception {
        RequestContext plain = context("aws:SecureTransport", "false", "aws:RequestedRegion", "eu-west-1");
        // The queue's own policy says nothing of TLS: the RCP alone denies.
        Evaluation send = evaluate(ALICE, "sqs:SendMessage", QUEUE, plain);
        assertThat(send.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(send.explanation().decidedBy()).isEqualTo(PolicyType.RCP);
        // The bucket denies plain HTTP too, so both deny.
        Evaluation read = evaluate(ALICE, "s3:GetObject", DATA_OBJECT, plain);
        assertThat(read.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(read.explanation().statements()).extracting(MatchedStatement::policyType)
                .contains(PolicyType.RCP, PolicyType.RESOURCE);
    }

    @Test
    void bobAuditsButCannotWrite() throws Exception {
        assertThat(decide(BOB, "iam:ListUsers", "*", TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(BOB, "s3:GetBucketPolicy", "arn:aws:s3:::example-payments-data", TLS_EU))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(BOB, "s3:PutObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(BOB, "s3:GetObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aKeyPolicyWithoutAccountDelegationShutsOutEvenAnAdministrator() throws Exception {
        Evaluation decrypt = evaluate(CAROL, "kms:Decrypt", REPORTS_KEY, TLS_EU);
        assertThat(decrypt.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decrypt.explanation().decidedBy()).isEqualTo(PolicyType.RESOURCE);
        assertThat(decide(CAROL, "kms:Decrypt", KEY, TLS_EU)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void carolNeedsMfaToAssumeAdminRole() throws Exception {
        // Long-term keys carry no aws:MultiFactorAuthPresent, so the trust policy's Bool fails.
        assertThat(decide(CAROL, "sts:AssumeRole", ADMIN_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decideWithMfa(CAROL, "sts:AssumeRole", ADMIN_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.ALLOWED);
        // Alice's group does not allow it, MFA or not.
        assertThat(decideWithMfa(ALICE, "sts:AssumeRole", ADMIN_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    // ---------------------------------------------------------------- role sessions

    @Test
    void appRoleSessionsReadDataSendOrdersAndDecrypt() throws Exception {
        assertThat(decide(APP_SESSION, "s3:GetObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(APP_SESSION, "kms:Decrypt", KEY, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(APP_SESSION, "sqs:SendMessage", QUEUE, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(APP_SESSION, "s3:PutObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(APP_SESSION, "kms:GenerateDataKey", KEY, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aKeyPolicyThatNamesARoleGrantsOnItsOwn() throws Exception {
        // VendorAuditRole's own policies do not allow kms:Decrypt; the reports key policy names the role.
        assertThat(decide(VENDOR_SESSION, "kms:Decrypt", REPORTS_KEY, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(ANALYST_SESSION, "kms:Decrypt", REPORTS_KEY, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(ANALYST_SESSION, "kms:Decrypt", KEY, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theDeploySessionShipsOnlyThePaymentsService() throws Exception {
        assertThat(decide(DEPLOY_SESSION, "lambda:UpdateFunctionCode", FUNCTION, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(DEPLOY_SESSION, "s3:PutObject", ARTIFACT_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(DEPLOY_SESSION, "lambda:UpdateFunctionCode",
                "arn:aws:lambda:eu-west-1:111122223333:function:payments-admin", TLS_EU))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(DEPLOY_SESSION, "lambda:DeleteFunction", FUNCTION, TLS_EU))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theAnalystReadsReportsOnly() throws Exception {
        assertThat(decide(ANALYST_SESSION, "s3:GetObject", REPORT_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(ANALYST_SESSION, "s3:PutObject", REPORT_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(ANALYST_SESSION, "s3:GetObject", DATA_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    // ---------------------------------------------------------------- across accounts

    @Test
    void daveNeedsMfaToAssumePlatformOpsRole() throws Exception {
        Evaluation withoutMfa = evaluate(DAVE, "sts:AssumeRole", PLATFORM_OPS_ROLE, RequestContext.empty());
        assertThat(withoutMfa.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(withoutMfa.explanation().decidedBy()).isEqualTo(PolicyType.RESOURCE);
        assertThat(decideWithMfa(DAVE, "sts:AssumeRole", PLATFORM_OPS_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.ALLOWED);
        // His group names only PlatformOpsRole.
        assertThat(decideWithMfa(DAVE, "sts:AssumeRole", ADMIN_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theVendorAssumesItsRoleOnlyWithTheExternalId() throws Exception {
        assertThat(decide(VENDOR_AUDITOR, "sts:AssumeRole", VENDOR_AUDIT_ROLE, RequestContext.empty()))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(VENDOR_AUDITOR, "sts:AssumeRole", VENDOR_AUDIT_ROLE,
                context("sts:ExternalId", "vendor-0000"))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(VENDOR_AUDITOR, "sts:AssumeRole", VENDOR_AUDIT_ROLE,
                context("sts:ExternalId", "vendor-7f3a91"))).isEqualTo(Decision.ALLOWED);
        assertThat(decide(VENDOR_AUDITOR, "sts:AssumeRole", PLATFORM_OPS_ROLE,
                context("sts:ExternalId", "vendor-7f3a91"))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theVendorReadsReportsThroughItsRoleSessionInsideTheOrganization() throws Exception {
        assertThat(decide(VENDOR_SESSION, "s3:GetObject", REPORT_OBJECT, TLS_EU)).isEqualTo(Decision.ALLOWED);
        assertThat(decide(VENDOR_SESSION, "s3:PutObject", REPORT_OBJECT, TLS_EU)).isEqualTo(Decision.IMPLICIT_DENY);
        // Directly, from outside the organization, the S3 data perimeter denies.
        Evaluation direct = evaluate(VENDOR_AUDITOR, "s3:GetObject", REPORT_OBJECT, TLS_EU);
        assertThat(direct.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(direct.explanation().decidedBy()).isEqualTo(PolicyType.RCP);
    }

    // ---------------------------------------------------------------- requests Gavel refuses

    @Test
    void aRoleIsNotAPrincipal() {
        assertThatThrownBy(() -> authorizer.identity(APP_ROLE))
                .isInstanceOfSatisfying(RequestException.class, e -> assertThat(e.field()).isEqualTo("principal"));
    }

    @Test
    void callersCannotSupplyKeysFilledFromThePrincipal() throws Exception {
        Identity alice = authorizer.identity(ALICE);
        assertThatThrownBy(() -> authorizer.authorize(alice, "s3:GetObject", DATA_OBJECT,
                context("aws:SecureTransport", "true", "aws:username", "carol")))
                .isInstanceOfSatisfying(RequestException.class,
                        e -> assertThat(e.field()).isEqualTo("context.aws:username"));
        assertThatThrownBy(() -> authorizer.authorize(alice, "s3:GetObject", DATA_OBJECT,
                context("aws:PrincipalTag/team", "platform")))
                .isInstanceOf(RequestException.class);
    }

    // ---------------------------------------------------------------- filled context keys

    @Test
    void aUsersRequestCarriesItsOrganizationTagsAndName() throws Exception {
        RequestContext filled = authorizer.prepare(authorizer.identity(ALICE), "s3:GetObject", DATA_OBJECT, TLS_EU)
                .request().context();
        assertThat(filled.single("aws:PrincipalOrgID")).isEqualTo(ORG);
        assertThat(filled.get("aws:PrincipalOrgPaths").values())
                .containsExactly("o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/");
        assertThat(filled.single("aws:PrincipalTag/team")).isEqualTo("payments");
        assertThat(filled.single("aws:username")).isEqualTo("alice");
        assertThat(filled.single("aws:userid")).isEqualTo("AIDATENFT2RZI2PVA2KI4");
        assertThat(filled.single("aws:PrincipalType")).isEqualTo("User");
        assertThat(filled.single("aws:ResourceAccount")).isEqualTo(PROD);
        assertThat(filled.single("aws:ResourceOrgID")).isEqualTo(ORG);
        assertThat(filled.get("aws:MultiFactorAuthPresent")).isNull();
        assertThat(filled.single("aws:SecureTransport")).isEqualTo("true");
    }

    @Test
    void aRoleSessionCarriesItsRoleAndTheVendorNoOrganization() throws Exception {
        RequestContext session = authorizer.prepare(authorizer.identity(APP_SESSION), "s3:GetObject", DATA_OBJECT,
                TLS_EU).request().context();
        assertThat(session.single("aws:PrincipalArn")).isEqualTo(APP_ROLE);
        assertThat(session.single("aws:userid")).isEqualTo("AROASNI6RIQGZDNXEELQC:i-0abc");
        assertThat(session.single("aws:PrincipalTag/team")).isEqualTo("payments");
        assertThat(session.get("aws:username")).isNull();

        RequestContext vendor = authorizer.prepare(authorizer.identity(VENDOR_AUDITOR), "s3:GetObject", REPORT_OBJECT,
                TLS_EU).request().context();
        assertThat(vendor.get("aws:PrincipalOrgID")).isNull();
        assertThat(vendor.single("aws:PrincipalAccount")).isEqualTo("777788889999");
        assertThat(vendor.single("aws:ResourceOrgID")).isEqualTo(ORG);
    }

    // ---------------------------------------------------------------- GitHub Actions through STS

    @Test
    void gitHubActionsOnMainGetsADeployRoleSession() throws Exception {
        Sts sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        IssuedSession issued = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "github-run-4711",
                githubToken("repo:example-org/payments-service:ref:refs/heads/main")));
        assertThat(issued.session().principalArn()).isEqualTo(DEPLOY_SESSION);
        assertThat(issued.details()).containsEntry("Provider", GITHUB_PROVIDER);

        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "github-run-4712",
                githubToken("repo:example-org/payments-service:ref:refs/heads/feature-x"))))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("AccessDenied"));
    }

    // ---------------------------------------------------------------- session tags from identity providers

    @Test
    void anAnalystsSamlTagsChooseTheWorkgroupsSheQueries() throws Exception {
        Sts sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        IssuedSession issued = sts.assumeRoleWithSaml(SamlRequest.of(ANALYST_ROLE, SAML_PROVIDER,
                exampleIdpResponse("alice", "team", "risk", "CostCenter", "4410")));
        assertThat(issued.session().principalArn())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/SamlAnalystRole/alice");
        assertThat(issued.session().tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "risk", "CostCenter", "4410"));
        assertThat(issued.session().sourceIdentity()).isEqualTo("alice");
        Identity alice = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();

        assertThat(sts.authorizer().authorize(alice, "athena:StartQueryExecution", RISK_WORKGROUP, teamTagged("risk"))
                .decision()).isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(alice, "athena:StartQueryExecution", PAYMENTS_WORKGROUP,
                teamTagged("payments")).decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(sts.authorizer().prepare(alice, "s3:GetObject", REPORT_OBJECT, TLS_EU).request().context()
                .single("aws:SourceIdentity")).isEqualTo("alice");
        // What every analyst may do stays as it was.
        assertThat(sts.authorizer().authorize(alice, "s3:GetObject", REPORT_OBJECT, TLS_EU).decision())
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anotherTeamsAnalystQueriesHerOwnWorkgroupOnly() throws Exception {
        Sts sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        IssuedSession issued = sts.assumeRoleWithSaml(SamlRequest.of(ANALYST_ROLE, SAML_PROVIDER,
                exampleIdpResponse("bruno", "team", "payments")));
        Identity bruno = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().authorize(bruno, "athena:StartQueryExecution", RISK_WORKGROUP, teamTagged("risk"))
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(sts.authorizer().authorize(bruno, "athena:StartQueryExecution", PAYMENTS_WORKGROUP,
                teamTagged("payments")).decision()).isEqualTo(Decision.ALLOWED);
        // A session without tags (the static analyst session) has no team, so no workgroup is its own.
        assertThat(decide(ANALYST_SESSION, "athena:StartQueryExecution", RISK_WORKGROUP, teamTagged("risk")))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void theAnalystTrustPolicyLetsTheIdentityProviderPassOnlyTeamAndCostCenter() throws Exception {
        Sts sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        assertThatThrownBy(() -> sts.assumeRoleWithSaml(SamlRequest.of(ANALYST_ROLE, SAML_PROVIDER,
                exampleIdpResponse("mallory", "team", "risk", "clearance", "admin"))))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDenied");
                    assertThat(e.getMessage()).isEqualTo("Not authorized to perform sts:TagSession");
                });
    }

    @Test
    void theDeployPipelinesEnvironmentTagChoosesTheFunctionsItUpdates() throws Exception {
        Sts sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
        IssuedSession issued = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "github-run-4713",
                githubToken("repo:example-org/payments-service:ref:refs/heads/main", "staging")));
        assertThat(issued.session().tags()).containsExactlyEntriesOf(Map.of("environment", "staging"));
        Identity pipeline = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();

        assertThat(sts.authorizer().authorize(pipeline, "lambda:UpdateFunctionCode", WORKER_FUNCTION,
                environmentTagged("staging")).decision()).isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(pipeline, "lambda:UpdateFunctionCode", WORKER_FUNCTION,
                environmentTagged("production")).decision()).isEqualTo(Decision.IMPLICIT_DENY);
        // The payments function is granted by name, whatever the environment.
        assertThat(sts.authorizer().authorize(pipeline, "lambda:UpdateFunctionCode", FUNCTION, TLS_EU).decision())
                .isEqualTo(Decision.ALLOWED);
        // Without the tag, the session has the role's tags only: no environment is its own.
        assertThat(decide(DEPLOY_SESSION, "lambda:UpdateFunctionCode", WORKER_FUNCTION, environmentTagged("staging")))
                .isEqualTo(Decision.IMPLICIT_DENY);

        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "github-run-4714",
                githubToken("repo:example-org/payments-service:ref:refs/heads/main", "sandbox"))))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDenied");
                    assertThat(e.getMessage()).isEqualTo("Not authorized to perform sts:TagSession");
                });
    }

    private static RequestContext teamTagged(String team) {
        return TLS_EU.toBuilder().put("aws:ResourceTag/team", team).build();
    }

    private static RequestContext environmentTagged(String environment) {
        return TLS_EU.toBuilder().put("aws:ResourceTag/environment", environment).build();
    }

    /**
     * A response of the demo's identity provider, signed with its keystore: {@code user} signs in
     * to SamlAnalystRole, is the session's source identity, and gets the session tags
     * {@code key, value, key, value...}.
     */
    private static String exampleIdpResponse(String user, String... tags) throws Exception {
        SamlTestIdp idp = SamlTestIdp.load("/dev/gavel/demo/example-idp.p12");
        SamlTestIdp.Response response = new SamlTestIdp.Response(NOW).issuer("https://idp.example.com/saml/metadata")
                .attribute("https://aws.amazon.com/SAML/Attributes/Role", ANALYST_ROLE + "," + SAML_PROVIDER)
                .attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", user)
                .attribute("https://aws.amazon.com/SAML/Attributes/SourceIdentity", user);
        for (int i = 0; i < tags.length; i += 2) {
            response.attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:" + tags[i], tags[i + 1]);
        }
        Document document = response.build();
        idp.signAssertion(document);
        return SamlTestIdp.encode(document);
    }

    private static RSAKey privateJwk() throws Exception {
        try (InputStream in = DemoDirectoryTest.class.getResourceAsStream(
                "/dev/gavel/demo/github-oidc-private-jwk.json")) {
            return RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String githubToken(String subject) throws Exception {
        return githubToken(subject, null);
    }

    /** A GitHub Actions ID token; with an environment, it passes it as the session tag {@code environment}. */
    private static String githubToken(String subject, String environment) throws Exception {
        RSAKey key = privateJwk();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer("https://token.actions.githubusercontent.com")
                .subject(subject)
                .audience(List.of("sts.amazonaws.com"))
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(240)))
                .claim("repository", "example-org/payments-service")
                .claim("ref", subject.substring(subject.indexOf(":ref:") + 5));
        if (environment != null) {
            claims.claim("https://aws.amazon.com/tags",
                    Map.of("principal_tags", Map.of("environment", List.of(environment))));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
