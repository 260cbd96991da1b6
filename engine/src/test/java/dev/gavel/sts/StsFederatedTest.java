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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** AssumeRoleWithWebIdentity and AssumeRoleWithSAML end to end: verified identity, then the trust policy. */
class StsFederatedTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String PROD = "111122223333";
    static final String GITHUB = "token.actions.githubusercontent.com";
    static final String OIDC_ARN = "arn:aws:iam::" + PROD + ":oidc-provider/" + GITHUB;
    static final String SAML_ARN = "arn:aws:iam::" + PROD + ":saml-provider/MySAMLIdP";
    static final String DEPLOY_ROLE = "arn:aws:iam::" + PROD + ":role/DeployRole";
    static final String SAML_ROLE = "arn:aws:iam::" + PROD + ":role/SamlRole";
    static final String MAIN = "repo:example-org/payments:ref:refs/heads/main";

    static RSAKey signingKey;
    static RSAKey otherKey;
    static SamlTestIdp idp;

    @TempDir
    Path folder;

    private Sts sts;

    @BeforeAll
    static void keys() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        idp = SamlTestIdp.load("saml-idp.p12");
    }

    @BeforeEach
    void load() throws Exception {
        String oidcTrust = policy("{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + OIDC_ARN + "\"}, "
                + "\"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {\"" + GITHUB
                + ":aud\": \"sts.amazonaws.com\"}, \"StringLike\": {\"" + GITHUB + ":sub\": \"repo:example-org/payments:*\"}}}");
        String samlTrust = policy("{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"" + SAML_ARN + "\"}, "
                + "\"Action\": \"sts:AssumeRoleWithSAML\", \"Condition\": {\"StringEquals\": "
                + "{\"saml:aud\": \"https://signin.aws.amazon.com/saml\"}}}");
        Directory directory = DirectoryLoader.load(new TestDirectory()
                .role(PROD, "DeployRole", oidcTrust, TestDirectory.ALLOW_ALL_S3, 3600)
                .role(PROD, "SamlRole", samlTrust, TestDirectory.ALLOW_ALL_S3, 14_400)
                .oidcProvider(PROD, GITHUB, "sts.amazonaws.com", new JWKSet(signingKey.toPublicJWK()).toString())
                .samlProvider(PROD, "MySAMLIdP", idp.metadata(idp.certificate))
                .write(folder));
        sts = new Sts(directory, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    private static String token(RSAKey key, String subject, String audience, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://" + GITHUB).subject(subject).audience(audience)
                .issueTime(Date.from(NOW.minusSeconds(30))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void refused(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aGitHubTokenForTheTrustedRepositoryGetsASession() throws Exception {
        IssuedSession issued = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh-run-7",
                token(signingKey, MAIN, "sts.amazonaws.com", NOW.plusSeconds(300))));
        assertThat(issued.session().kind()).isEqualTo(Session.Kind.WEB_IDENTITY);
        assertThat(issued.session().principalArn()).isEqualTo("arn:aws:sts::" + PROD + ":assumed-role/DeployRole/gh-run-7");
        assertThat(issued.details()).containsEntry("SubjectFromWebIdentityToken", MAIN)
                .containsEntry("Provider", OIDC_ARN).containsEntry("Audience", "sts.amazonaws.com");
        Identity session = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().prepare(session, "s3:GetObject", "*", null).request().context()
                .single("aws:FederatedProvider")).isEqualTo(OIDC_ARN);
    }

    @Test
    void aTokenOutsideTheTrustPolicyOrBadlySignedIsRefused() throws Exception {
        refused(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh", token(signingKey,
                "repo:attacker/fork:ref:refs/heads/main", "sts.amazonaws.com", NOW.plusSeconds(300)))),
                "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        refused(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh", token(otherKey, MAIN,
                "sts.amazonaws.com", NOW.plusSeconds(300)))), "InvalidIdentityToken", "");
        refused(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh", token(signingKey, MAIN,
                "sts.amazonaws.com", NOW.minusSeconds(1)))), "ExpiredTokenException", "Token expired");
        refused(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh", token(signingKey, MAIN,
                "other-audience", NOW.plusSeconds(300)))), "InvalidIdentityToken", "audience");
        refused(() -> sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh", token(signingKey, MAIN,
                "sts.amazonaws.com", NOW.plusSeconds(300))).withDurationSeconds(7200)), "ValidationError",
                "MaxSessionDuration");
    }

    private static String samlResponse(String role, String sessionName, String duration) throws Exception {
        SamlTestIdp.Response response = new SamlTestIdp.Response(NOW)
                .attribute(SamlVerifier.ROLE, role + "," + SAML_ARN)
                .attribute(SamlVerifier.ROLE_SESSION_NAME, sessionName);
        if (duration != null) {
            response.attribute("https://aws.amazon.com/SAML/Attributes/SessionDuration", duration);
        }
        Document document = response.build();
        idp.signAssertion(document);
        return SamlTestIdp.encode(document);
    }

    @Test
    void aSignedSamlResponseForTheRoleGetsASession() throws Exception {
        IssuedSession issued = sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(SAML_ROLE, "alice@example.com", null)));
        assertThat(issued.session().kind()).isEqualTo(Session.Kind.SAML);
        assertThat(issued.session().sessionName()).isEqualTo("alice@example.com");
        assertThat(issued.credentials().expiration()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(issued.details()).containsKeys("Subject", "SubjectType", "Issuer", "Audience", "NameQualifier")
                .containsEntry("Issuer", SamlTestIdp.ENTITY_ID).containsEntry("Audience", SamlTestIdp.SIGN_IN);
    }

    @Test
    void theSessionDurationAttributeShortensAnApiSessionButNeverLengthensIt() throws Exception {
        IssuedSession shorter = sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(SAML_ROLE, "alice", "1800")));
        assertThat(shorter.credentials().expiration()).isEqualTo(NOW.plusSeconds(1800));
        IssuedSession notLonger = sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(SAML_ROLE, "alice", "7200")));
        assertThat(notLonger.credentials().expiration()).isEqualTo(NOW.plusSeconds(3600));
        IssuedSession asked = sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(SAML_ROLE, "alice", "1800")).withDurationSeconds(7200));
        assertThat(asked.credentials().expiration()).isEqualTo(NOW.plusSeconds(1800));
        IssuedSession longer = sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(SAML_ROLE, "alice", null)).withDurationSeconds(7200));
        assertThat(longer.credentials().expiration()).isEqualTo(NOW.plusSeconds(7200));
    }

    @Test
    void aSamlResponseForAnotherRoleOrProviderIsRefused() throws Exception {
        refused(() -> sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN,
                samlResponse(DEPLOY_ROLE, "alice", null))), "InvalidIdentityToken", SAML_ROLE);
        refused(() -> sts.assumeRoleWithSaml(SamlRequest.of(DEPLOY_ROLE, SAML_ARN,
                samlResponse(DEPLOY_ROLE, "alice", null))), "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithSAML");
        refused(() -> sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, "arn:aws:iam::444455556666:saml-provider/X",
                samlResponse(SAML_ROLE, "alice", null))), "AccessDenied", "Not authorized");
        refused(() -> sts.assumeRoleWithSaml(SamlRequest.of(SAML_ROLE, SAML_ARN, "bm90IHhtbA==")),
                "InvalidIdentityToken", "");
    }

    @Test
    void policiesPassedWithAFederatedSessionBoundIt() throws Exception {
        IssuedSession issued = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(DEPLOY_ROLE, "gh-run-8",
                token(signingKey, MAIN, "sts.amazonaws.com", NOW.plusSeconds(300)))
                .withPolicy(policy("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}")));
        Identity session = sts.credentials().resolve(issued.credentials().accessKeyId(),
                issued.credentials().sessionToken()).identity();
        assertThat(sts.authorizer().authorize(session, "s3:PutObject", "arn:aws:s3:::b/k", null).decision())
                .isEqualTo(dev.gavel.eval.Decision.IMPLICIT_DENY);
    }
}
