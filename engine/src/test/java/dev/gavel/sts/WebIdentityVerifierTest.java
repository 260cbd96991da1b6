package dev.gavel.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.directory.OidcProvider;
import dev.gavel.directory.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ID tokens signed with keys generated per run, and the ways they fail. */
class WebIdentityVerifierTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String GITHUB = "https://token.actions.githubusercontent.com";
    static final String GITHUB_ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    static final String GITHUB_SUB = "repo:gavel/gavel:ref:refs/heads/main";
    static final String GOOGLE_ARN = "arn:aws:iam::123456789012:oidc-provider/accounts.google.com";
    static final String GOOGLE_CLIENT = "web.apps.googleusercontent.com";
    static final String COGNITO_ARN = "arn:aws:iam::123456789012:oidc-provider/cognito-identity.amazonaws.com";
    static final String COGNITO_POOL = "us-east-1:12345678-corner-cafe-123456790ab";

    static RSAKey rsa;
    static RSAKey impostor;
    static ECKey ec;
    static OidcProvider github;
    static OidcProvider google;
    static OidcProvider cognito;

    final WebIdentityVerifier verifier = new WebIdentityVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void generateKeys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        String jwks = jwks(rsa, ec);
        github = new OidcProvider(GITHUB_ARN, "123456789012", GITHUB, List.of("sts.amazonaws.com"), List.of(), jwks);
        google = new OidcProvider(GOOGLE_ARN, "123456789012", "https://accounts.google.com", List.of(GOOGLE_CLIENT),
                List.of(), jwks);
        cognito = new OidcProvider(COGNITO_ARN, "123456789012", "https://cognito-identity.amazonaws.com/",
                List.of(COGNITO_POOL), List.of(), jwks);
    }

    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** The claims of a GitHub Actions token, issued a minute ago, valid for ten minutes. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(GITHUB).subject(GITHUB_SUB).audience("sts.amazonaws.com")
                .issueTime(Date.from(NOW.minusSeconds(60))).expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    static String rs256(JWTClaimsSet claims) throws Exception {
        return sign(claims, JWSAlgorithm.RS256, rsa.getKeyID(), new RSASSASigner(rsa));
    }

    static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    VerifiedWebIdentity verify(String token) throws StsException {
        return verifier.verify(token, List.of(google, github, cognito));
    }

    void refused(String token, String code, String message) {
        assertThatThrownBy(() -> verify(token))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void signedTokenYieldsTheProviderContextKeys() throws Exception {
        VerifiedWebIdentity identity = verify(rs256(claims().claim("repository", "gavel/gavel").build()));

        assertThat(identity.provider()).isEqualTo(github);
        assertThat(identity.subject()).isEqualTo(GITHUB_SUB);
        assertThat(identity.audience()).isEqualTo("sts.amazonaws.com");
        assertThat(identity.audiences()).containsExactly("sts.amazonaws.com");
        assertThat(identity.amr()).isEmpty();
        assertThat(identity.issuedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(identity.claims()).containsEntry("repository", "gavel/gavel").containsEntry("exp",
                NOW.plusSeconds(600).getEpochSecond());
        assertThat(identity.contextKeys()).containsExactly(
                entry("token.actions.githubusercontent.com:aud", List.of("sts.amazonaws.com")),
                entry("token.actions.githubusercontent.com:sub", List.of(GITHUB_SUB)),
                entry("aws:FederatedProvider", List.of(GITHUB_ARN)));
    }

    @Test
    void claimsCannotBeAltered() throws Exception {
        Map<String, Object> claims = verify(rs256(claims().claim("groups", List.of("a")).build())).claims();

        assertThatThrownBy(() -> claims.put("sub", "admin")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) claims.get("groups")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void issuerMatchesWithOrWithoutTrailingSlash() throws Exception {
        assertThat(verify(rs256(claims().issuer(GITHUB + "/").build())).provider()).isEqualTo(github);
        JWTClaimsSet cognitoClaims = claims().issuer("https://cognito-identity.amazonaws.com")
                .audience(COGNITO_POOL).build();
        assertThat(verify(rs256(cognitoClaims)).provider()).isEqualTo(cognito);
    }

    @Test
    void googleHybridAppAudienceIsTheAuthorizedParty() throws Exception {
        JWTClaimsSet claims = claims().issuer("https://accounts.google.com").subject("110169484474386276334")
                .audience(GOOGLE_CLIENT).claim("azp", "android.apps.googleusercontent.com").build();

        assertThat(verify(rs256(claims)).contextKeys()).containsExactly(
                entry("accounts.google.com:aud", List.of("android.apps.googleusercontent.com")),
                entry("accounts.google.com:oaud", List.of(GOOGLE_CLIENT)),
                entry("accounts.google.com:sub", List.of("110169484474386276334")),
                entry("aws:FederatedProvider", List.of(GOOGLE_ARN)));
    }

    @Test
    void googleAudienceWithoutAuthorizedPartyIsBothKeys() throws Exception {
        JWTClaimsSet claims = claims().issuer("https://accounts.google.com").subject("110169484474386276334")
                .audience(GOOGLE_CLIENT).build();

        assertThat(verify(rs256(claims)).contextKeys())
                .containsEntry("accounts.google.com:aud", List.of(GOOGLE_CLIENT))
                .containsEntry("accounts.google.com:oaud", List.of(GOOGLE_CLIENT));
    }

    @Test
    void cognitoAmrIsMultivalued() throws Exception {
        JWTClaimsSet claims = claims().issuer("https://cognito-identity.amazonaws.com")
                .subject("us-east-1:0f2a4b6c-1111-2222-3333-444455556666").audience(COGNITO_POOL)
                .claim("amr", List.of("authenticated", "graph.facebook.com")).build();

        assertThat(verify(rs256(claims)).contextKeys()).containsExactly(
                entry("cognito-identity.amazonaws.com:aud", List.of(COGNITO_POOL)),
                entry("cognito-identity.amazonaws.com:sub", List.of("us-east-1:0f2a4b6c-1111-2222-3333-444455556666")),
                entry("cognito-identity.amazonaws.com:amr", List.of("authenticated", "graph.facebook.com")),
                entry("aws:FederatedProvider", List.of(COGNITO_ARN)));
    }

    @Test
    void sessionTagsTransitiveKeysAndSourceIdentityComeFromTheAwsClaims() throws Exception {
        // The decoded token of "Passing session tags in AWS STS", with a source identity.
        Map<String, Object> tags = Map.of(
                "principal_tags", Map.of("Project", List.of("Automation"), "CostCenter", List.of("987654"),
                        "Department", List.of("Engineering")),
                "transitive_tag_keys", List.of("Project", "CostCenter"));
        VerifiedWebIdentity identity = verify(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM, tags)
                .claim(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, "Admin").build()));

        assertThat(identity.sessionClaims().tags()).containsExactlyInAnyOrder(new Tag("Project", "Automation"),
                new Tag("CostCenter", "987654"), new Tag("Department", "Engineering"));
        assertThat(identity.sessionClaims().transitiveTagKeys()).containsExactly("Project", "CostCenter");
        assertThat(identity.sessionClaims().sourceIdentity()).isEqualTo("Admin");
        assertThat(verify(rs256(claims().build())).sessionClaims()).isEqualTo(SessionClaims.NONE);
    }

    @Test
    void refusesSessionTagsOfAnotherShape() throws Exception {
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", Map.of("Department", List.of("Engineering", "Marketing")))).build()),
                "InvalidIdentityToken", "multivalued session tags are not supported");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", Map.of("Department", "Engineering"))).build()),
                "InvalidIdentityToken", "principal_tags value for Department must be an array of one string");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", Map.of("Department", List.of()))).build()),
                "InvalidIdentityToken", "must be an array of one string");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", Map.of("Cost", List.of(12345)))).build()),
                "InvalidIdentityToken", "must be an array of one string");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM,
                Map.of("principal_tags", List.of("Department"))).build()),
                "InvalidIdentityToken", "principal_tags must be a JSON object");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM, List.of(Map.of("principal_tags",
                Map.of("Department", List.of("Engineering"))))).build()),
                "InvalidIdentityToken", "claim must be a JSON object");
        refused(rs256(claims().claim(WebIdentityVerifier.TAGS_CLAIM, Map.of("principal_tags",
                Map.of("Project", List.of("Automation")), "transitive_tag_keys", "Project")).build()),
                "InvalidIdentityToken", "transitive_tag_keys must be an array of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Diego Ramirez", "d", "aws:Admin",
        "source-identity-of-sixty-five-characters-is-one-more-than-allowed"})
    void refusesASourceIdentityOutsideThePattern(String sourceIdentity) throws Exception {
        refused(rs256(claims().claim(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, sourceIdentity).build()),
                "InvalidIdentityToken",
                "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
    }

    @Test
    void refusesASourceIdentityThatIsNotAString() throws Exception {
        refused(rs256(claims().claim(WebIdentityVerifier.SOURCE_IDENTITY_CLAIM, List.of("Admin")).build()),
                "InvalidIdentityToken", "Source Identity must match");
    }

    @Test
    void acceptsEllipticCurveSignature() throws Exception {
        String token = sign(claims().build(), JWSAlgorithm.ES256, ec.getKeyID(), new ECDSASigner(ec));

        assertThat(verify(token).subject()).isEqualTo(GITHUB_SUB);
    }

    @Test
    void tokenWithoutKeyIdUsesTheProvidersOnlyKey() throws Exception {
        OidcProvider single = new OidcProvider(GITHUB_ARN, "123456789012", GITHUB, List.of("sts.amazonaws.com"),
                List.of(), jwks(rsa));
        String token = sign(claims().build(), JWSAlgorithm.RS256, null, new RSASSASigner(rsa));

        assertThat(verifier.verify(token, List.of(single)).subject()).isEqualTo(GITHUB_SUB);
        // With two keys, a token without a key id names none of them.
        refused(token, "InvalidIdentityToken", "no key id");
    }

    @Test
    void rotatedKeySetIsReadAgain() throws Exception {
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        String token = sign(claims().build(), JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(next));
        assertThatThrownBy(() -> verifier.verify(token, List.of(github))).isInstanceOf(StsException.class);

        OidcProvider rotated = new OidcProvider(GITHUB_ARN, "123456789012", GITHUB, List.of("sts.amazonaws.com"),
                List.of(), jwks(rsa, next));

        assertThat(verifier.verify(token, List.of(rotated)).subject()).isEqualTo(GITHUB_SUB);
    }

    @Test
    void refusesUnknownIssuer() {
        assertThatThrownBy(() -> verify(rs256(claims().issuer("https://evil.example.com").build())))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("InvalidIdentityToken"))
                .hasMessage("No OpenIDConnect provider found in your account for https://evil.example.com");
    }

    @Test
    void refusesSignatureByAnotherKeyWithTheSameKeyId() throws Exception {
        String token = sign(claims().build(), JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(impostor));

        refused(token, "InvalidIdentityToken", "signature could not be verified");
    }

    @Test
    void refusesUnknownKeyId() throws Exception {
        String token = sign(claims().build(), JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(impostor));

        refused(token, "InvalidIdentityToken", "no signing key with the ID Token's key id (kid) rsa-9");
    }

    @Test
    void refusesAlgorithmThatDoesNotFitTheKey() throws Exception {
        String token = sign(claims().build(), JWSAlgorithm.RS256, "ec-1", new RSASSASigner(rsa));

        refused(token, "InvalidIdentityToken", "does not fit its EC key");
    }

    @Test
    void refusesTamperedPayload() throws Exception {
        String[] parts = rs256(claims().build()).split("\\.");
        String forged = claims().subject("repo:evil/evil:ref:refs/heads/main").build().toString();
        String token = parts[0] + "." + Base64URL.encode(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        refused(token, "InvalidIdentityToken", "signature could not be verified");
    }

    @Test
    void refusesExpiredToken() throws Exception {
        String token = rs256(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build());

        assertThatThrownBy(() -> verify(token))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("ExpiredTokenException"))
                .hasMessage("Token expired: current date/time " + NOW.getEpochSecond()
                        + " must be before the expiration date/time " + (NOW.getEpochSecond() - 1));
    }

    @Test
    void refusesTokenExpiringNow() throws Exception {
        refused(rs256(claims().expirationTime(Date.from(NOW)).build()), "ExpiredTokenException", "Token expired");
    }

    @Test
    void refusesTokenNotYetValid() throws Exception {
        Instant later = NOW.plus(WebIdentityVerifier.ALLOWED_SKEW).plusSeconds(1);

        refused(rs256(claims().notBeforeTime(Date.from(later)).build()), "InvalidIdentityToken", "not valid yet");
    }

    @Test
    void refusesTokenIssuedInTheFuture() throws Exception {
        Instant later = NOW.plus(WebIdentityVerifier.ALLOWED_SKEW).plusSeconds(1);

        refused(rs256(claims().issueTime(Date.from(later)).build()), "InvalidIdentityToken", "issued in the future");
    }

    @Test
    void toleratesSmallClockSkew() throws Exception {
        JWTClaimsSet claims = claims().issueTime(Date.from(NOW.plusSeconds(120)))
                .notBeforeTime(Date.from(NOW.plusSeconds(120))).build();

        assertThat(verify(rs256(claims)).subject()).isEqualTo(GITHUB_SUB);
    }

    @Test
    void refusesWrongAudience() throws Exception {
        assertThatThrownBy(() -> verify(rs256(claims().audience("someone-else").build())))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("InvalidIdentityToken"))
                .hasMessage("Incorrect token audience");
    }

    @Test
    void acceptsOneMatchingAudienceAmongSeveral() throws Exception {
        VerifiedWebIdentity identity = verify(rs256(claims().audience(List.of("other", "sts.amazonaws.com")).build()));

        assertThat(identity.audience()).isEqualTo("sts.amazonaws.com");
        assertThat(identity.audiences()).containsExactly("other", "sts.amazonaws.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "aud", "exp", "iss"})
    void refusesTokenMissingARequiredClaim(String claim) throws Exception {
        JWTClaimsSet full = claims().build();
        JWTClaimsSet.Builder without = new JWTClaimsSet.Builder();
        full.getClaims().forEach((name, value) -> without.claim(name, name.equals(claim) ? null : value));

        refused(rs256(without.build()), "InvalidIdentityToken", "(" + claim + ")");
    }

    @Test
    void refusesUnsignedToken() {
        refused(new PlainJWT(claims().build()).serialize(), "InvalidIdentityToken", "alg none");
    }

    @Test
    void refusesEncryptedToken() throws Exception {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                claims().build());
        jwt.encrypt(new RSAEncrypter(rsa.toRSAPublicKey()));

        refused(jwt.serialize(), "InvalidIdentityToken", "encrypted");
    }

    @Test
    void refusesHmacSignature() throws Exception {
        // An HMAC keyed with something public must never pass for the provider's signature.
        byte[] secret = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        String token = sign(claims().build(), JWSAlgorithm.HS256, "rsa-1", new MACSigner(secret));

        refused(token, "InvalidIdentityToken", "unsupported algorithm: HS256");
    }

    @Test
    void refusesSomethingThatIsNotAJwt() {
        refused("not-a-jwt", "InvalidIdentityToken", "not a valid JWT");
    }
}
