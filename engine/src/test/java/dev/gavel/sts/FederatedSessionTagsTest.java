package dev.gavel.sts;

import static dev.gavel.sts.TestDirectory.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Session;
import dev.gavel.directory.Tag;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Session tags, transitive tag keys and source identity passed by identity providers, through
 * {@code AssumeRoleWithSAML} and {@code AssumeRoleWithWebIdentity}: the rules STS applies to them,
 * the trust policy's say on them, and the sessions they make.
 */
class FederatedSessionTagsTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String PROD = "111122223333";
    static final String GITHUB = "token.actions.githubusercontent.com";
    static final String OIDC_ARN = "arn:aws:iam::" + PROD + ":oidc-provider/" + GITHUB;
    static final String SAML_ARN = "arn:aws:iam::" + PROD + ":saml-provider/MySAMLIdP";
    static final String MAIN = "repo:example-org/payments:ref:refs/heads/main";

    /** Trusts the SAML provider to assume it, tag the session with team and CostCenter, and set a source identity. */
    static final String SAML_ROLE = "arn:aws:iam::" + PROD + ":role/AnalystRole";
    /** Trusts the SAML provider to assume it, and nothing more. */
    static final String SAML_PLAIN_ROLE = "arn:aws:iam::" + PROD + ":role/PlainSamlRole";
    /** Trusts GitHub's tokens to assume it, tag the session with an environment, and set a source identity. */
    static final String OIDC_ROLE = "arn:aws:iam::" + PROD + ":role/DeployRole";
    /** Trusts GitHub's tokens to assume it, and nothing more. */
    static final String OIDC_PLAIN_ROLE = "arn:aws:iam::" + PROD + ":role/PlainDeployRole";
    /** Trusts AnalystRole's sessions to assume it. */
    static final String CHAIN_ROLE = "arn:aws:iam::" + PROD + ":role/ReportRole";

    static final String TEAM_DATA = "arn:aws:s3:::team-data";
    static final RequestContext NO_FACTS = RequestContext.empty();
    static final String SOURCE_IDENTITY_RULE =
            "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"";

    static RSAKey signingKey;
    static SamlTestIdp idp;

    @TempDir
    Path folder;

    private Sts sts;

    @BeforeAll
    static void keys() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        idp = SamlTestIdp.load("saml-idp.p12");
    }

    @BeforeEach
    void load() throws Exception {
        String samlAudience = "\"Condition\": {\"StringEquals\": {\"saml:aud\": \"https://signin.aws.amazon.com/saml\"}";
        String samlTrust = policy(
                "{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + SAML_ARN + "\"}, "
                        + "\"Action\": [\"sts:AssumeRoleWithSAML\", \"sts:SetSourceIdentity\"], " + samlAudience + "}}",
                "{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + SAML_ARN + "\"}, "
                        + "\"Action\": \"sts:TagSession\", " + samlAudience + ", "
                        + "\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"team\", \"CostCenter\"]}}}");
        String samlPlainTrust = policy("{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + SAML_ARN + "\"}, "
                + "\"Action\": \"sts:AssumeRoleWithSAML\", " + samlAudience + "}}");
        String oidcAudience = "\"StringEquals\": {\"" + GITHUB + ":aud\": \"sts.amazonaws.com\"}";
        String oidcTrust = policy(
                "{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + OIDC_ARN + "\"}, "
                        + "\"Action\": [\"sts:AssumeRoleWithWebIdentity\", \"sts:SetSourceIdentity\"], "
                        + "\"Condition\": {" + oidcAudience + "}}",
                "{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + OIDC_ARN + "\"}, "
                        + "\"Action\": \"sts:TagSession\", \"Condition\": {\"StringEquals\": {\"" + GITHUB
                        + ":aud\": \"sts.amazonaws.com\", \"aws:RequestTag/environment\": [\"staging\", \"production\"]}, "
                        + "\"ForAllValues:StringEquals\": {\"sts:TransitiveTagKeys\": [\"environment\"]}}}");
        String oidcPlainTrust = policy("{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + OIDC_ARN + "\"}, "
                + "\"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {" + oidcAudience + "}}");
        String chainTrust = policy("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + SAML_ROLE + "\"}, "
                + "\"Action\": \"sts:AssumeRole\"}");
        String teamData = "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"" + TEAM_DATA
                + "/${aws:PrincipalTag/team}/*\"}";
        String analyst = policy(teamData,
                "{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"" + TEAM_DATA + "\", "
                        + "\"Condition\": {\"StringEquals\": {\"aws:SourceIdentity\": \"DiegoRamirez\"}}}",
                "{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"" + CHAIN_ROLE + "\"}");
        String deploy = policy("{\"Effect\": \"Allow\", \"Action\": \"lambda:UpdateFunctionCode\", "
                + "\"Resource\": \"arn:aws:lambda:eu-west-1:" + PROD + ":function:*\", \"Condition\": {\"StringEquals\": "
                + "{\"aws:ResourceTag/environment\": \"${aws:PrincipalTag/environment}\"}}}");
        Directory directory = DirectoryLoader.load(new TestDirectory()
                .role(PROD, "AnalystRole", samlTrust, analyst, 3600)
                .role(PROD, "PlainSamlRole", samlPlainTrust, TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "DeployRole", oidcTrust, deploy, 3600)
                .role(PROD, "PlainDeployRole", oidcPlainTrust, TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "ReportRole", chainTrust, policy(teamData), 3600)
                .oidcProvider(PROD, GITHUB, "sts.amazonaws.com", new JWKSet(signingKey.toPublicJWK()).toString())
                .samlProvider(PROD, "MySAMLIdP", idp.metadata(idp.certificate))
                .write(folder));
        sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    // ---------------------------------------------------------------- identity providers' messages

    /** A signed SAML response for {@code role} and session {@code alice}, with more attributes. */
    private static String saml(String role, Map<String, List<String>> attributes) throws Exception {
        SamlTestIdp.Response response = new SamlTestIdp.Response(NOW)
                .attribute(SamlVerifier.ROLE, role + "," + SAML_ARN)
                .attribute(SamlVerifier.ROLE_SESSION_NAME, "alice");
        attributes.forEach((name, values) -> response.attribute(name, values.toArray(String[]::new)));
        Document document = response.build();
        idp.signAssertion(document);
        return SamlTestIdp.encode(document);
    }

    /** SAML attributes for session tags, in order: {@code key, value, key, value...}. */
    private static Map<String, List<String>> principalTags(String... keysAndValues) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put(SamlVerifier.PRINCIPAL_TAG + keysAndValues[i], List.of(keysAndValues[i + 1]));
        }
        return attributes;
    }

    private static Map<String, List<String>> with(Map<String, List<String>> attributes, String name, String... values) {
        Map<String, List<String>> more = new LinkedHashMap<>(attributes);
        more.put(name, List.of(values));
        return more;
    }

    /** A GitHub Actions token for main, with more claims. */
    private static String token(Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer("https://" + GITHUB).subject(MAIN)
                .audience("sts.amazonaws.com").issueTime(Date.from(NOW.minusSeconds(30)))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                builder.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    /** The {@code https://aws.amazon.com/tags} claim: principal tags as documented, each an array of one value. */
    private static Map<String, Object> tagsClaim(Map<String, String> tags, String... transitive) {
        Map<String, Object> principalTags = new LinkedHashMap<>();
        tags.forEach((key, value) -> principalTags.put(key, List.of(value)));
        return Map.of(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", principalTags, "transitive_tag_keys", List.of(transitive)));
    }

    private IssuedSession samlSession(String role, Map<String, List<String>> attributes) throws Exception {
        return sts.assumeRoleWithSaml(SamlRequest.of(role, SAML_ARN, saml(role, attributes)));
    }

    private IssuedSession webSession(String role, Map<String, Object> claims) throws Exception {
        return sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(role, "gh-run-9", token(claims)));
    }

    /** The session's identity, read back from its credentials as a later request would be. */
    private Identity identity(IssuedSession issued) throws Exception {
        return sts.credentials().resolve(issued.credentials().accessKeyId(), issued.credentials().sessionToken())
                .identity();
    }

    private static void refused(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void samlTagsAndSourceIdentityBecomeTheSessionsAndDecideLaterRequests() throws Exception {
        IssuedSession issued = samlSession(SAML_ROLE, with(with(principalTags("team", "risk", "CostCenter", "4410"),
                SamlVerifier.TRANSITIVE_TAG_KEYS, "team"), SamlVerifier.SOURCE_IDENTITY, "DiegoRamirez"));

        Session session = issued.session();
        assertThat(session.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "risk", "CostCenter", "4410"));
        assertThat(session.transitiveTagKeys()).containsExactly("team");
        assertThat(session.sourceIdentity()).isEqualTo("DiegoRamirez");
        assertThat(issued.details()).containsEntry("SourceIdentity", "DiegoRamirez");
        assertThat(List.copyOf(issued.details().keySet())).containsExactly("Subject", "SubjectType", "Issuer",
                "Audience", "NameQualifier", "SourceIdentity");
        assertThat(issued.packedPolicySize()).isBetween(1, 100);

        Identity analyst = identity(issued);
        RequestContext filled = sts.authorizer().prepare(analyst, "s3:GetObject", TEAM_DATA + "/risk/q3.csv", NO_FACTS)
                .request().context();
        assertThat(filled.single("aws:PrincipalTag/team")).isEqualTo("risk");
        assertThat(filled.single("aws:PrincipalTag/CostCenter")).isEqualTo("4410");
        assertThat(filled.single("aws:SourceIdentity")).isEqualTo("DiegoRamirez");
        assertThat(sts.authorizer().authorize(analyst, "s3:GetObject", TEAM_DATA + "/risk/q3.csv", NO_FACTS).decision())
                .isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(analyst, "s3:GetObject", TEAM_DATA + "/payments/q3.csv", NO_FACTS)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(sts.authorizer().authorize(analyst, "s3:ListBucket", TEAM_DATA, NO_FACTS).decision())
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anotherTagValueDecidesOtherwise() throws Exception {
        Identity payments = identity(samlSession(SAML_ROLE, principalTags("team", "payments")));
        assertThat(sts.authorizer().authorize(payments, "s3:GetObject", TEAM_DATA + "/risk/q3.csv", NO_FACTS)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(sts.authorizer().authorize(payments, "s3:GetObject", TEAM_DATA + "/payments/q3.csv", NO_FACTS)
                .decision()).isEqualTo(Decision.ALLOWED);
        // No source identity, so the statement that asks for one does not apply.
        assertThat(sts.authorizer().authorize(payments, "s3:ListBucket", TEAM_DATA, NO_FACTS).decision())
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void transitiveTagsAndTheSourceIdentityCarryIntoAChainedSession() throws Exception {
        Identity analyst = identity(samlSession(SAML_ROLE, with(with(principalTags("team", "risk", "CostCenter",
                "4410"), SamlVerifier.TRANSITIVE_TAG_KEYS, "team"), SamlVerifier.SOURCE_IDENTITY, "DiegoRamirez")));

        IssuedSession chained = sts.assumeRole(analyst, AssumeRoleRequest.of(CHAIN_ROLE, "reports"));
        assertThat(chained.session().tags()).containsExactlyEntriesOf(Map.of("team", "risk"));
        assertThat(chained.session().transitiveTagKeys()).containsExactly("team");
        assertThat(chained.session().sourceIdentity()).isEqualTo("DiegoRamirez");
        assertThat(sts.authorizer().authorize(identity(chained), "s3:GetObject", TEAM_DATA + "/risk/q3.csv", NO_FACTS)
                .decision()).isEqualTo(Decision.ALLOWED);
        // A transitive tag cannot be set again down the chain.
        refused(() -> sts.assumeRole(analyst, AssumeRoleRequest.builder(CHAIN_ROLE, "reports")
                .tags(List.of(new Tag("Team", "payments"))).build()), "InvalidParameterValue",
                "Tag key team is transitive from the calling session and cannot be set again");
    }

    @Test
    void oidcTagsAndSourceIdentityBecomeTheSessionsAndDecideLaterRequests() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>(tagsClaim(Map.of("environment", "staging"), "environment"));
        claims.put(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, "octocat");
        IssuedSession issued = webSession(OIDC_ROLE, claims);

        assertThat(issued.session().tags()).containsExactlyEntriesOf(Map.of("environment", "staging"));
        assertThat(issued.session().transitiveTagKeys()).containsExactly("environment");
        assertThat(issued.session().sourceIdentity()).isEqualTo("octocat");
        assertThat(List.copyOf(issued.details().keySet())).containsExactly("SubjectFromWebIdentityToken", "Provider",
                "Audience", "SourceIdentity");
        assertThat(issued.packedPolicySize()).isBetween(1, 100);

        Identity deploy = identity(issued);
        String function = "arn:aws:lambda:eu-west-1:" + PROD + ":function:orders-worker";
        assertThat(sts.authorizer().authorize(deploy, "lambda:UpdateFunctionCode", function,
                RequestContext.builder().put("aws:ResourceTag/environment", "staging").build()).decision())
                .isEqualTo(Decision.ALLOWED);
        assertThat(sts.authorizer().authorize(deploy, "lambda:UpdateFunctionCode", function,
                RequestContext.builder().put("aws:ResourceTag/environment", "production").build()).decision())
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(sts.authorizer().prepare(deploy, "lambda:GetFunction", function, NO_FACTS).request().context()
                .single("aws:SourceIdentity")).isEqualTo("octocat");
    }

    @Test
    void withoutTagsThereIsNoPackedSizeAndNoSourceIdentity() throws Exception {
        IssuedSession issued = webSession(OIDC_PLAIN_ROLE, Map.of());
        assertThat(issued.packedPolicySize()).isNull();
        assertThat(issued.session().tags()).isEmpty();
        assertThat(issued.details()).doesNotContainKey("SourceIdentity");
        assertThat(samlSession(SAML_PLAIN_ROLE, Map.of()).packedPolicySize()).isNull();
    }

    // ---------------------------------------------------------------- the trust policy's say

    @Test
    void aTrustPolicyWithoutTagSessionRefusesTags() throws Exception {
        refused(() -> samlSession(SAML_PLAIN_ROLE, principalTags("team", "risk")), "AccessDenied",
                "Not authorized to perform sts:TagSession");
        refused(() -> webSession(OIDC_PLAIN_ROLE, tagsClaim(Map.of("environment", "staging"))), "AccessDenied",
                "Not authorized to perform sts:TagSession");
    }

    @Test
    void aTrustPolicyWithoutSetSourceIdentityRefusesASourceIdentity() throws Exception {
        refused(() -> samlSession(SAML_PLAIN_ROLE, Map.of(SamlVerifier.SOURCE_IDENTITY, List.of("DiegoRamirez"))),
                "AccessDenied", "Not authorized to perform sts:SetSourceIdentity");
        refused(() -> webSession(OIDC_PLAIN_ROLE, Map.of(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, "octocat")),
                "AccessDenied", "Not authorized to perform sts:SetSourceIdentity");
    }

    @Test
    void theTrustPolicyTestsTheTagsAsRequestFacts() throws Exception {
        // aws:TagKeys: only team and CostCenter may be passed.
        refused(() -> samlSession(SAML_ROLE, principalTags("team", "risk", "admin", "true")), "AccessDenied",
                "Not authorized to perform sts:TagSession");
        // aws:RequestTag/environment: only staging or production.
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of("environment", "sandbox"))), "AccessDenied",
                "Not authorized to perform sts:TagSession");
        // sts:TransitiveTagKeys: only environment may be transitive.
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of("environment", "staging", "team", "payments"), "team")),
                "AccessDenied", "Not authorized to perform sts:TagSession");
        assertThat(webSession(OIDC_ROLE, tagsClaim(Map.of("environment", "production"))).session().tags())
                .containsEntry("environment", "production");
    }

    @Test
    void theFlowsOwnActionIsCheckedFirst() throws Exception {
        // A SAML response whose Role attribute names the OIDC role: the trust policy does not trust SAML at all.
        refused(() -> samlSession(OIDC_ROLE, principalTags("team", "risk")), "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithSAML");
    }

    // ---------------------------------------------------------------- the rules on tags

    @Test
    void atMostFiftyTags() throws Exception {
        String[] tags = new String[102];
        for (int i = 0; i < 51; i++) {
            tags[2 * i] = "k" + i;
            tags[2 * i + 1] = "v";
        }
        refused(() -> samlSession(SAML_ROLE, principalTags(tags)), "ValidationError",
                "Unable to validate tags: the identity provider passed 51 session tags, more than the 50 allowed");
        Map<String, String> fiftyOne = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.put("k" + i, "v");
        }
        refused(() -> webSession(OIDC_ROLE, tagsClaim(fiftyOne)), "ValidationError",
                "Unable to validate tags: the identity provider passed 51 session tags, more than the 50 allowed");
    }

    @Test
    void keysOfOneTo128AllowedCharacters() throws Exception {
        String keyRule = "' must have 1 to 128 characters, each a letter, a digit, a space or one of _.:/=+-@";
        String longKey = "k".repeat(129);
        refused(() -> samlSession(SAML_ROLE, principalTags(longKey, "v")), "ValidationError",
                "Unable to validate tags: session tag key '" + longKey + keyRule);
        refused(() -> samlSession(SAML_ROLE, principalTags("", "v")), "ValidationError",
                "Unable to validate tags: session tag key '" + keyRule);
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of("team#1", "v"))), "ValidationError",
                "Unable to validate tags: session tag key 'team#1" + keyRule);
        // Letters of any script, digits, spaces and the listed punctuation are fine.
        assertThat(samlSession(SAML_ROLE, principalTags("team", "équipe 7 _.:/=+-@")).session().tags())
                .containsEntry("team", "équipe 7 _.:/=+-@");
    }

    @Test
    void valuesOfAtMost256AllowedCharacters() throws Exception {
        String valueRule = " must have at most 256 characters, each a letter, a digit, a space or one of _.:/=+-@";
        refused(() -> samlSession(SAML_ROLE, principalTags("team", "r".repeat(257))), "ValidationError",
                "Unable to validate tags: the value of session tag team" + valueRule);
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of("environment", "staging;prod"))), "ValidationError",
                "Unable to validate tags: the value of session tag environment" + valueRule);
        assertThat(samlSession(SAML_ROLE, principalTags("team", "r".repeat(256), "CostCenter", "")).session().tags())
                .containsEntry("CostCenter", "");
    }

    @Test
    void noKeyStartsWithAws() throws Exception {
        refused(() -> samlSession(SAML_ROLE, principalTags("aws:team", "risk")), "ValidationError",
                "Unable to validate tags: session tag key aws:team starts with aws:, a prefix AWS reserves");
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of("AWS:environment", "staging"))), "ValidationError",
                "Unable to validate tags: session tag key AWS:environment starts with aws:, a prefix AWS reserves");
    }

    @Test
    void keysDifferingOnlyInCaseAreDuplicates() throws Exception {
        refused(() -> samlSession(SAML_ROLE, principalTags("team", "risk", "Team", "payments")), "ValidationError",
                "Unable to validate tags: session tag key Team is passed twice, as tag keys are case insensitive");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("environment", "staging");
        twice.put("ENVIRONMENT", "production");
        refused(() -> webSession(OIDC_ROLE, tagsClaim(twice)), "ValidationError",
                "Unable to validate tags: session tag key ENVIRONMENT is passed twice, as tag keys are case "
                        + "insensitive");
    }

    @Test
    void transitiveKeysMustBeAmongTheTags() throws Exception {
        refused(() -> samlSession(SAML_ROLE, with(principalTags("team", "risk"), SamlVerifier.TRANSITIVE_TAG_KEYS,
                "team", "Project")), "ValidationError",
                "Unable to validate tags: transitive tag key Project is not among the session tags");
        refused(() -> webSession(OIDC_ROLE, tagsClaim(Map.of(), "environment")), "ValidationError",
                "Unable to validate tags: transitive tag key environment is not among the session tags");
        // Keys compare without regard to case; the session keeps the tag's own spelling, and passes it on.
        IssuedSession issued = samlSession(SAML_ROLE, with(principalTags("team", "risk"),
                SamlVerifier.TRANSITIVE_TAG_KEYS, "TEAM"));
        assertThat(issued.session().transitiveTagKeys()).containsExactly("team");
        IssuedSession chained = sts.assumeRole(identity(issued), AssumeRoleRequest.of(CHAIN_ROLE, "reports"));
        assertThat(chained.session().tags()).containsExactlyEntriesOf(Map.of("team", "risk"));
    }

    @Test
    void tagsCountTowardsThePackedSize() throws Exception {
        // Fifty incompressible 256-character values pack far beyond the allowance.
        Random random = new Random(7);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            StringBuilder value = new StringBuilder();
            for (int j = 0; j < 256; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            tags.put("k" + i, value.toString());
        }
        // The packed size is checked before the trust policy: this role would refuse the tags anyway.
        assertThatThrownBy(() -> webSession(OIDC_PLAIN_ROLE, tagsClaim(tags)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo("PackedPolicyTooLarge");
                    assertThat(e.getMessage()).matches(
                            "Packed policy consumes \\d{3,}% of allotted space, please use smaller policy\\.");
                });
        Map<String, String> few = Map.of("environment", "staging");
        int tagsOnly = webSession(OIDC_ROLE, tagsClaim(few)).packedPolicySize();
        IssuedSession withPolicy = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(OIDC_ROLE, "gh-run-10",
                token(tagsClaim(few))).withPolicy(policy("{\"Effect\": \"Allow\", \"Action\": "
                + "\"lambda:UpdateFunctionCode\", \"Resource\": \"arn:aws:lambda:eu-west-1:" + PROD + ":function:*\"}")));
        assertThat(withPolicy.packedPolicySize()).isGreaterThan(tagsOnly);
    }

    // ---------------------------------------------------------------- claims of another shape

    @Test
    void malformedClaimsAreInvalidIdentityTokens() {
        assertThatThrownBy(() -> samlSession(SAML_ROLE, Map.of(SamlVerifier.PRINCIPAL_TAG + "team",
                List.of("risk", "payments")))).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidIdentityToken"))
                .hasMessageContaining("multivalued session tags are not supported");
        assertThatThrownBy(() -> webSession(OIDC_ROLE, Map.of(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", Map.of("environment", "staging"))))).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidIdentityToken"))
                .hasMessageContaining("must be an array of one string");
        refused(() -> samlSession(SAML_ROLE, Map.of(SamlVerifier.SOURCE_IDENTITY, List.of("aws:Diego"))),
                "InvalidIdentityToken", SOURCE_IDENTITY_RULE);
        refused(() -> webSession(OIDC_ROLE, Map.of(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, "Diego Ramirez")),
                "InvalidIdentityToken", SOURCE_IDENTITY_RULE);
    }
}
