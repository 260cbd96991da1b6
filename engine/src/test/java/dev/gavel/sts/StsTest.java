package dev.gavel.sts;

import static dev.gavel.sts.TestDirectory.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Tag;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AssumeRole, service role and GetSessionToken flows: each allowed path and each refusal. */
class StsTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String PROD = "111122223333";
    static final String PARTNER = "444455556666";
    static final String ALICE = "arn:aws:iam::" + PROD + ":user/alice";
    static final String BOB = "arn:aws:iam::" + PROD + ":user/bob";
    static final String CAROL = "arn:aws:iam::" + PARTNER + ":user/carol";
    static final String DAN = "arn:aws:iam::" + PARTNER + ":user/dan";
    static final String APP_ROLE = "arn:aws:iam::" + PROD + ":role/AppRole";
    static final String EXT_ROLE = "arn:aws:iam::" + PROD + ":role/ExtRole";
    static final String TAGGED_ROLE = "arn:aws:iam::" + PROD + ":role/TaggedRole";
    static final String MFA_ROLE = "arn:aws:iam::" + PROD + ":role/MfaRole";
    static final String CHAIN_ROLE = "arn:aws:iam::" + PROD + ":role/ChainRole";
    static final String LONG_ROLE = "arn:aws:iam::" + PROD + ":role/LongRole";
    static final String SERVICE_ROLE = "arn:aws:iam::" + PROD + ":role/ServiceRole";
    static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    static final String ALICE_MFA = "arn:aws:iam::" + PROD + ":mfa/alice";

    @TempDir
    Path folder;

    private Directory directory;
    private Sts sts;

    private static String trust(String principal, String actions, String condition) {
        return policy("{\"Effect\": \"Allow\", \"Principal\": " + principal + ", \"Action\": " + actions
                + (condition == null ? "" : ", \"Condition\": " + condition) + "}");
    }

    static TestDirectory directory() {
        return new TestDirectory()
                .user(PROD, "alice", policy("{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", "
                        + "\"Resource\": \"" + MFA_ROLE + "\"}"))
                .user(PROD, "bob", null)
                .user(PARTNER, "carol", policy("{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \""
                        + EXT_ROLE + "\"}"))
                .user(PARTNER, "dan", null)
                .role(PROD, "AppRole", trust("{\"AWS\": \"" + ALICE + "\"}", "\"sts:AssumeRole\"", null),
                        TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "ExtRole", trust("{\"AWS\": \"" + PARTNER + "\"}", "\"sts:AssumeRole\"",
                        "{\"StringEquals\": {\"sts:ExternalId\": \"ext-123\"}}"), TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "TaggedRole", policy(
                        "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + ALICE + "\"}, \"Action\": [\"sts:AssumeRole\", "
                                + "\"sts:SetSourceIdentity\"]}",
                        "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + ALICE + "\"}, \"Action\": \"sts:TagSession\", "
                                + "\"Condition\": {\"StringEquals\": {\"aws:RequestTag/project\": \"atlas\"}}}"),
                        policy("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": "
                                + "{\"StringEquals\": {\"aws:PrincipalTag/project\": \"atlas\"}}}"), 3600)
                .role(PROD, "MfaRole", trust("{\"AWS\": \"" + PROD + "\"}", "\"sts:AssumeRole\"",
                        "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}"), TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "ChainRole", policy(
                        "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + TAGGED_ROLE + "\"}, \"Action\": "
                                + "[\"sts:AssumeRole\", \"sts:TagSession\", \"sts:SetSourceIdentity\"]}"),
                        TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "LongRole", trust("{\"AWS\": \"" + ALICE + "\"}", "\"sts:AssumeRole\"", null),
                        TestDirectory.ALLOW_ALL_S3, 7200)
                .role(PROD, "ServiceRole", trust("{\"Service\": \"ec2.amazonaws.com\"}", "\"sts:AssumeRole\"",
                        "{\"StringEquals\": {\"aws:SourceAccount\": \"" + PROD + "\"}}"), TestDirectory.ALLOW_ALL_S3, 3600)
                .managedPolicy(PROD, "ReadOnlyS3", policy("{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"}"))
                .accessKey("AKIAALICE00000000001", "a".repeat(40), ALICE, true)
                .accessKey("AKIAALICE00000000002", "b".repeat(40), ALICE, false)
                .mfaDevice(ALICE_MFA, ALICE, SEED);
    }

    @BeforeEach
    void load() throws Exception {
        directory = DirectoryLoader.load(directory().write(folder));
        sts = sts(NOW);
    }

    private Sts sts(Instant now) {
        return new Sts(directory, Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    private Identity identity(String arn) throws RequestException {
        return sts.authorizer().identity(arn);
    }

    private static void refused(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private String totp(Instant at) {
        return Totp.code(dev.gavel.directory.TestAccess.base32(SEED), at.getEpochSecond() / 30);
    }

    @Test
    void aTrustedUserAssumesARoleAndTheSessionActs() throws Exception {
        IssuedSession issued = sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(APP_ROLE, "deploy-42"));
        Credentials credentials = issued.credentials();
        assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.secretAccessKey()).hasSize(40);
        assertThat(credentials.expiration()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(issued.session().principalArn()).isEqualTo("arn:aws:sts::" + PROD + ":assumed-role/AppRole/deploy-42");
        assertThat(issued.assumedRoleId("AROAAPPROLE0000000")).isEqualTo("AROAAPPROLE0000000:deploy-42");

        CredentialResolver.Resolved resolved = sts.credentials().resolve(credentials.accessKeyId(),
                credentials.sessionToken());
        assertThat(resolved.secretAccessKey()).isEqualTo(credentials.secretAccessKey());
        assertThat(resolved.identity().principalArn()).isEqualTo(issued.session().principalArn());
        assertThat(sts.authorizer().authorize(resolved.identity(), "s3:GetObject", "arn:aws:s3:::bucket/key",
                RequestContext.empty()).decision()).isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(resolved.identity(), "ec2:RunInstances", "*",
                RequestContext.empty()).decision()).isEqualTo(Decision.IMPLICIT_DENY);
        var context = sts.authorizer().prepare(resolved.identity(), "s3:GetObject", "*", null).request().context();
        assertThat(context.single("aws:userid")).isEqualTo("AROAAPPROLE0000000:deploy-42");
        assertThat(context.single("aws:PrincipalType")).isEqualTo("AssumedRole");
        assertThat(context.single("aws:TokenIssueTime")).isEqualTo("2026-11-28T12:00:00Z");
        assertThat(context.single("aws:MultiFactorAuthPresent")).isEqualTo("false");
    }

    @Test
    void anUntrustedCallerIsRefusedWithAwsWords() {
        refused(() -> sts.assumeRole(identity(BOB), AssumeRoleRequest.of(APP_ROLE, "x1")), "AccessDenied",
                "User: " + BOB + " is not authorized to perform: sts:AssumeRole on resource: " + APP_ROLE);
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of("arn:aws:iam::" + PROD + ":role/Nope", "x1")),
                "AccessDenied", "is not authorized to perform: sts:AssumeRole");
    }

    @Test
    void parametersAreCheckedAsTheApiChecksThem() {
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(APP_ROLE, "x")), "ValidationError",
                "Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(APP_ROLE, "has space")), "ValidationError",
                "Member must satisfy regular expression pattern");
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(APP_ROLE, "n".repeat(65))), "ValidationError",
                "less than or equal to 64");
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of("role/AppRole", "ok")), "ValidationError",
                "'roleArn'");
        refused(() -> sts.assumeRole(identity(ALICE), withDuration(APP_ROLE, 899)), "ValidationError",
                "greater than or equal to 900");
        refused(() -> sts.assumeRole(identity(ALICE), withDuration(APP_ROLE, 43_201)), "ValidationError",
                "less than or equal to 43200");
        refused(() -> sts.assumeRole(identity(ALICE), withDuration(APP_ROLE, 7200)), "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }

    private static AssumeRoleRequest withDuration(String role, int seconds) {
        return new AssumeRoleRequest(role, "dur", seconds, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void theDurationCanReachTheRolesMaximum() throws Exception {
        IssuedSession issued = sts.assumeRole(identity(ALICE), withDuration(LONG_ROLE, 7200));
        assertThat(issued.credentials().expiration()).isEqualTo(NOW.plusSeconds(7200));
    }

    @Test
    void aCrossAccountRoleNeedsTheExternalIdAndTheCallersOwnPolicy() throws Exception {
        AssumeRoleRequest right = new AssumeRoleRequest(EXT_ROLE, "audit", null, "ext-123", null, null, null, null,
                null, null, null, null);
        assertThat(sts.assumeRole(identity(CAROL), right).session().roleArn()).isEqualTo(EXT_ROLE);
        AssumeRoleRequest wrong = new AssumeRoleRequest(EXT_ROLE, "audit", null, "ext-999", null, null, null, null,
                null, null, null, null);
        refused(() -> sts.assumeRole(identity(CAROL), wrong), "AccessDenied", "sts:AssumeRole on resource: " + EXT_ROLE);
        refused(() -> sts.assumeRole(identity(CAROL), AssumeRoleRequest.of(EXT_ROLE, "audit")), "AccessDenied",
                "not authorized");
        refused(() -> sts.assumeRole(identity(DAN), right), "AccessDenied", "User: " + DAN);
        refused(() -> sts.assumeRole(identity(CAROL), new AssumeRoleRequest(EXT_ROLE, "audit", null, "bad id!", null,
                null, null, null, null, null, null, null)), "ValidationError", "'externalId'");
    }

    @Test
    void sessionPoliciesBoundTheSession() throws Exception {
        String onlyGets = policy("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}");
        IssuedSession issued = sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "scoped", null, null,
                onlyGets, null, null, null, null, null, null, null));
        assertThat(issued.packedPolicySize()).isBetween(1, 100);
        Identity session = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().authorize(session, "s3:GetObject", "arn:aws:s3:::bucket/k", null).decision())
                .isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(session, "s3:PutObject", "arn:aws:s3:::bucket/k", null).decision())
                .isEqualTo(Decision.IMPLICIT_DENY);

        IssuedSession managed = sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "managed", null, null,
                null, List.of("arn:aws:iam::" + PROD + ":policy/ReadOnlyS3"), null, null, null, null, null, null));
        Identity managedSession = sts.credentials().resolve(managed.credentials().accessKeyId(),
                managed.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().authorize(managedSession, "s3:DeleteObject", "arn:aws:s3:::bucket/k", null)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);

        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "bad", null, null, "{not json",
                null, null, null, null, null, null, null)), "MalformedPolicyDocument", "session policy");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "bad", null, null,
                policy("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"}"),
                null, null, null, null, null, null, null)), "MalformedPolicyDocument", "Principal");
        String huge = policy("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::"
                + "b".repeat(2100) + "\"}");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "bad", null, null, huge, null,
                null, null, null, null, null, null)), "ValidationError", "2048");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "bad", null, null, null,
                List.of("arn:aws:iam::" + PROD + ":policy/Missing"), null, null, null, null, null, null)),
                "InvalidParameterValue", "does not exist");
    }

    @Test
    void sessionTagsNeedTagSessionInTheTrustPolicy() throws Exception {
        AssumeRoleRequest tagged = new AssumeRoleRequest(TAGGED_ROLE, "tagged", null, null, null, null,
                List.of(new Tag("project", "atlas"), new Tag("cost", "42")), List.of("project"), null, null, null, null);
        IssuedSession issued = sts.assumeRole(identity(ALICE), tagged);
        assertThat(issued.session().tags()).containsEntry("project", "atlas");
        Identity session = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().authorize(session, "s3:GetObject", "arn:aws:s3:::b/k", null).decision())
                .isEqualTo(Decision.ALLOWED);

        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(TAGGED_ROLE, "tagged", null, null, null,
                null, List.of(new Tag("project", "zeus")), null, null, null, null, null)), "AccessDenied",
                "sts:TagSession");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(APP_ROLE, "tagged", null, null, null, null,
                List.of(new Tag("project", "atlas")), null, null, null, null, null)), "AccessDenied", "sts:TagSession");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(TAGGED_ROLE, "tagged", null, null, null,
                null, List.of(new Tag("Project", "atlas"), new Tag("project", "atlas")), null, null, null, null, null)),
                "InvalidParameterValue", "Duplicate tag keys");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(TAGGED_ROLE, "tagged", null, null, null,
                null, List.of(new Tag("project", "atlas")), List.of("team"), null, null, null, null)),
                "InvalidParameterValue", "transitive tag key team");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(TAGGED_ROLE, "tagged", null, null, null,
                null, List.of(new Tag("aws:x", "y")), null, null, null, null, null)), "InvalidParameterValue", "aws:");
    }

    @Test
    void roleChainingCapsTheDurationAndCarriesTransitiveTagsAndSourceIdentity() throws Exception {
        AssumeRoleRequest first = new AssumeRoleRequest(TAGGED_ROLE, "first", null, null, null, null,
                List.of(new Tag("project", "atlas")), List.of("project"), "alice", null, null, null);
        IssuedSession issued = sts.assumeRole(identity(ALICE), first);
        Identity firstSession = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        IssuedSession chained = sts.assumeRole(firstSession, AssumeRoleRequest.of(CHAIN_ROLE, "second"));
        assertThat(chained.session().chained()).isTrue();
        assertThat(chained.session().tags()).containsEntry("project", "atlas");
        assertThat(chained.session().sourceIdentity()).isEqualTo("alice");
        Identity second = sts.credentials().resolve(chained.credentials().accessKeyId(),
                chained.credentials().sessionToken()).identity();
        var context = sts.authorizer().prepare(second, "s3:GetObject", "*", null).request().context();
        assertThat(context.single("aws:SourceIdentity")).isEqualTo("alice");
        assertThat(context.single("aws:PrincipalTag/project")).isEqualTo("atlas");

        refused(() -> sts.assumeRole(firstSession, new AssumeRoleRequest(CHAIN_ROLE, "second", 3601, null, null, null,
                null, null, null, null, null, null)), "ValidationError", "1 hour session limit for roles assumed by role chaining");
        refused(() -> sts.assumeRole(firstSession, new AssumeRoleRequest(CHAIN_ROLE, "second", null, null, null, null,
                List.of(new Tag("project", "zeus")), null, null, null, null, null)), "InvalidParameterValue", "transitive");
        refused(() -> sts.assumeRole(firstSession, new AssumeRoleRequest(CHAIN_ROLE, "second", null, null, null, null,
                null, null, "mallory", null, null, null)), "InvalidParameterValue", "cannot be changed");
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(TAGGED_ROLE, "src", null, null, null, null,
                null, null, "aws:me", null, null, null)), "ValidationError", "'sourceIdentity'");
    }

    @Test
    void aTransitiveKeyInAnotherCaseStillPassesItsTagDownTheChain() throws Exception {
        IssuedSession issued = sts.assumeRole(identity(ALICE), AssumeRoleRequest.builder(TAGGED_ROLE, "first")
                .tags(List.of(new Tag("project", "atlas"))).transitiveTagKeys(List.of("PROJECT")).build());
        assertThat(issued.session().transitiveTagKeys()).containsExactly("project");
        Identity firstSession = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        IssuedSession chained = sts.assumeRole(firstSession, AssumeRoleRequest.of(CHAIN_ROLE, "second"));
        assertThat(chained.session().tags()).containsEntry("project", "atlas");
    }

    @Test
    void mfaComesFromAValidCodeOfTheCallersDevice() throws Exception {
        refused(() -> sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(MFA_ROLE, "admin")), "AccessDenied",
                "not authorized");
        AssumeRoleRequest withCode = new AssumeRoleRequest(MFA_ROLE, "admin", null, null, null, null, null, null, null,
                ALICE_MFA, totp(NOW), null);
        IssuedSession issued = sts.assumeRole(identity(ALICE), withCode);
        assertThat(issued.session().mfaAuthenticatedAt()).isEqualTo(NOW);
        refused(() -> sts.assumeRole(identity(ALICE), new AssumeRoleRequest(MFA_ROLE, "admin", null, null, null, null,
                null, null, null, ALICE_MFA, totp(NOW.plusSeconds(300)), null)), "AccessDenied",
                "MultiFactorAuthentication failed with invalid MFA one time pass code.");
        refused(() -> sts.assumeRole(identity(BOB), new AssumeRoleRequest(MFA_ROLE, "admin", null, null, null, null,
                null, null, null, ALICE_MFA, totp(NOW), null)), "AccessDenied", "MultiFactorAuthentication failed");
    }

    @Test
    void aServiceAssumesItsRoleForTheRightSourceAccountOnly() throws Exception {
        IssuedSession issued = sts.assumeServiceRole(new ServiceRoleRequest("ec2.amazonaws.com", SERVICE_ROLE,
                "i-0abc1234", PROD, "arn:aws:ec2:eu-west-1:" + PROD + ":instance/i-0abc1234", null));
        assertThat(issued.session().federatedProvider()).isEqualTo("ec2.amazonaws.com");
        refused(() -> sts.assumeServiceRole(new ServiceRoleRequest("ec2.amazonaws.com", SERVICE_ROLE, "i-0abc1234",
                PARTNER, null, null)), "AccessDenied", "not authorized");
        refused(() -> sts.assumeServiceRole(new ServiceRoleRequest("lambda.amazonaws.com", SERVICE_ROLE, "fn", PROD,
                null, null)), "AccessDenied", "not authorized");
        refused(() -> sts.assumeServiceRole(new ServiceRoleRequest("not a service", SERVICE_ROLE, "fn", PROD, null,
                null)), "ValidationError", "servicePrincipal");
    }

    @Test
    void getSessionTokenGivesAUserSessionWithItsLimits() throws Exception {
        Identity alice = sts.credentials().resolve("AKIAALICE00000000001", null).identity();
        IssuedSession issued = sts.getSessionToken(alice, new SessionTokenRequest(null, null, null));
        assertThat(issued.credentials().expiration()).isEqualTo(NOW.plusSeconds(43_200));
        Identity session = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(session.principalArn()).isEqualTo(ALICE);
        assertThat(sts.authorizer().authorize(session, "iam:ListUsers", "*", null).explanation().reason())
                .contains("without MFA cannot call IAM");
        assertThat(sts.authorizer().authorize(session, "sts:GetFederationToken", "*", null).decision())
                .isEqualTo(Decision.IMPLICIT_DENY);
        refused(() -> sts.getSessionToken(session, new SessionTokenRequest(null, null, null)), "AccessDenied",
                "session credentials");

        IssuedSession withMfa = sts.getSessionToken(alice, new SessionTokenRequest(3600, ALICE_MFA, totp(NOW)));
        Identity mfaSession = sts.credentials().resolve(withMfa.credentials().accessKeyId(),
                withMfa.credentials().sessionToken()).identity();
        var context = sts(NOW.plusSeconds(120)).authorizer().prepare(mfaSession, "s3:GetObject", "*", null)
                .request().context();
        assertThat(context.single("aws:MultiFactorAuthPresent")).isEqualTo("true");
        assertThat(context.single("aws:MultiFactorAuthAge")).isEqualTo("120");
        refused(() -> sts.getSessionToken(alice, new SessionTokenRequest(600, null, null)), "ValidationError", "900");
        refused(() -> sts.getSessionToken(alice, new SessionTokenRequest(129_601, null, null)), "ValidationError", "129600");
    }

    @Test
    void credentialsAreResolvedOrRefusedAsAwsRefusesThem() throws Exception {
        assertThat(sts.credentials().resolve("AKIAALICE00000000001", null).identity().principalArn()).isEqualTo(ALICE);
        refused(() -> sts.credentials().resolve("AKIAALICE00000000002", null), "InvalidClientTokenId",
                "The security token included in the request is invalid.");
        refused(() -> sts.credentials().resolve("AKIANOBODY0000000000", null), "InvalidClientTokenId", "does not exist");
        IssuedSession issued = sts.assumeRole(identity(ALICE), AssumeRoleRequest.of(APP_ROLE, "creds"));
        String key = issued.credentials().accessKeyId();
        String token = issued.credentials().sessionToken();
        refused(() -> sts.credentials().resolve(key, null), "InvalidClientTokenId", "invalid");
        refused(() -> sts.credentials().resolve("ASIAOTHERKEY00000000", token), "InvalidClientTokenId", "invalid");
        refused(() -> sts(NOW.plusSeconds(3600)).credentials().resolve(key, token), "ExpiredToken", "expired");
        Directory foreign = DirectoryLoader.load(directory().sessionKey("k2",
                "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=").write(folder.resolveSibling(folder.getFileName() + "-x")));
        refused(() -> new Sts(foreign, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom()).credentials()
                .resolve(key, token), "InvalidClientTokenId", "invalid");
    }

    @Test
    void aRoleIsNeverAPrincipalButItsSessionsAre() {
        assertThatThrownBy(() -> identity(APP_ROLE)).isInstanceOf(RequestException.class)
                .hasMessageContaining("a role makes no request itself")
                .hasMessageContaining("arn:aws:sts::" + PROD + ":assumed-role/AppRole/SESSION_NAME");
    }
}
