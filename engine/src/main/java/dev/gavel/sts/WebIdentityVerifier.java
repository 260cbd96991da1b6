package dev.gavel.sts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.directory.OidcProvider;
import dev.gavel.directory.Tag;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the OpenID Connect ID token of {@code AssumeRoleWithWebIdentity} against the account's
 * IAM OIDC providers, as STS does before it evaluates the role's trust policy.
 *
 * <p>The checks run in STS's order: the token must be a signed JWT; its {@code iss} must name one
 * of the providers; its signature must verify under a key of that provider's JSON Web Key Set;
 * it must carry {@code sub}, {@code aud} and {@code exp}, must not have expired, must not claim to
 * be issued in the future, and one of its audiences must be a client id of the provider. Only
 * public-key algorithms are accepted, so a provider's public key can never be used as an HMAC
 * secret, and a token with {@code "alg":"none"} or an encrypted token is refused outright.
 */
public final class WebIdentityVerifier {

    /** How far {@code nbf} and {@code iat} may lie ahead of our clock, for issuers whose clocks run fast. */
    static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);

    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512);
    private static final Set<JWSAlgorithm> EC_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final String INVALID = "InvalidIdentityToken";
    static final String TAGS_CLAIM = "https://aws.amazon.com/tags";
    static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

    /** A provider's parsed key set, kept with the text it came from so that a changed key set is parsed again. */
    private record CachedKeys(String jwks, JWKSet keys) {}

    private final Clock clock;
    private final Map<String, CachedKeys> keysByProvider = new ConcurrentHashMap<>();

    public WebIdentityVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Verifies {@code token} against the provider that issued it.
     *
     * @param providers the IAM OIDC providers of the role's account
     * @throws StsException {@code InvalidIdentityToken} or {@code ExpiredTokenException}, as STS answers
     */
    public VerifiedWebIdentity verify(String token, Collection<OidcProvider> providers) throws StsException {
        SignedJWT jwt = parseSigned(token);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new StsException(INVALID, "The ID Token provided is not a valid JWT: its claims are not a JSON object");
        }
        String issuer = claims.getIssuer();
        if (issuer == null || issuer.isEmpty()) {
            throw new StsException(INVALID, "The ID Token provided has no issuer (iss) claim");
        }
        OidcProvider provider = providerFor(issuer, providers);
        verifySignature(jwt, provider);

        String subject = claims.getSubject();
        List<String> audiences = claims.getAudience();
        Date expiration = claims.getExpirationTime();
        if (subject == null || subject.isEmpty()) {
            throw new StsException(INVALID, "The ID Token provided has no subject (sub) claim");
        }
        if (audiences.isEmpty()) {
            throw new StsException(INVALID, "The ID Token provided has no audience (aud) claim");
        }
        if (expiration == null) {
            throw new StsException(INVALID, "The ID Token provided has no expiration (exp) claim");
        }
        checkTimes(claims, expiration.toInstant());
        String audience = audiences.stream().filter(provider.clientIds()::contains).findFirst()
                .orElseThrow(() -> new StsException(INVALID, "Incorrect token audience"));

        Date issuedAt = claims.getIssueTime();
        return new VerifiedWebIdentity(provider, subject, audience, audiences, amr(claims),
                issuedAt == null ? null : issuedAt.toInstant(), expiration.toInstant(), freeze(claims.toJSONObject()),
                sessionClaims(claims));
    }

    private static SignedJWT parseSigned(String token) throws StsException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token == null ? "" : token.strip());
        } catch (ParseException e) {
            throw new StsException(INVALID, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        // A PlainJWT ("alg":"none") carries no signature; an EncryptedJWT is not an ID token STS accepts.
        throw new StsException(INVALID, "The ID Token provided must be a signed JWT, not "
                + (jwt instanceof PlainJWT ? "an unsigned one (alg none)" : "an encrypted one"));
    }

    private static OidcProvider providerFor(String issuer, Collection<OidcProvider> providers) throws StsException {
        String wanted = normalize(issuer);
        for (OidcProvider provider : providers) {
            if (normalize(provider.url()).equals(wanted)) {
                return provider;
            }
        }
        throw new StsException(INVALID, "No OpenIDConnect provider found in your account for " + issuer);
    }

    /** An issuer URL without its trailing slash, and with the {@code https://} that IAM lets one omit. */
    private static String normalize(String url) {
        String withScheme = url.contains("://") ? url : "https://" + url;
        return withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme;
    }

    private void verifySignature(SignedJWT jwt, OidcProvider provider) throws StsException {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!RSA_ALGORITHMS.contains(algorithm) && !EC_ALGORITHMS.contains(algorithm)) {
            throw new StsException(INVALID, "The ID Token provided is signed with an unsupported algorithm: " + algorithm);
        }
        JWK key = signingKey(keys(provider), header.getKeyID());
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
            throw new StsException(INVALID, "The ID Token's algorithm " + algorithm + " does not match its key's " + key.getAlgorithm());
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier(key, algorithm));
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw new StsException(INVALID, "The ID Token signature could not be verified with the keys of " + provider.url());
        }
    }

    private static JWK signingKey(JWKSet keys, String keyId) throws StsException {
        List<JWK> candidates = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                continue;
            }
            if (keyId == null || keyId.equals(key.getKeyID())) {
                candidates.add(key);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (keyId == null) {
            throw new StsException(INVALID, "The ID Token has no key id (kid) and the provider has "
                    + candidates.size() + " signing keys");
        }
        throw new StsException(INVALID, candidates.isEmpty()
                ? "The provider has no signing key with the ID Token's key id (kid) " + keyId
                : "The provider has several signing keys with the ID Token's key id (kid) " + keyId);
    }

    private static JWSVerifier verifier(JWK key, JWSAlgorithm algorithm) throws StsException, JOSEException {
        if (key instanceof RSAKey rsa && RSA_ALGORITHMS.contains(algorithm)) {
            return new RSASSAVerifier(rsa.toRSAPublicKey());
        }
        if (key instanceof ECKey ec && EC_ALGORITHMS.contains(algorithm)) {
            return new ECDSAVerifier(ec.toPublicJWK());
        }
        throw new StsException(INVALID, "The ID Token's algorithm " + algorithm + " does not fit its " + key.getKeyType() + " key");
    }

    private JWKSet keys(OidcProvider provider) throws StsException {
        CachedKeys cached = keysByProvider.get(provider.arn());
        if (cached != null && cached.jwks().equals(provider.jwks())) {
            return cached.keys();
        }
        JWKSet keys;
        try {
            keys = JWKSet.parse(provider.jwks() == null ? "" : provider.jwks());
        } catch (ParseException e) {
            throw new StsException(INVALID, "Couldn't retrieve verification key from your identity provider");
        }
        keysByProvider.put(provider.arn(), new CachedKeys(provider.jwks(), keys));
        return keys;
    }

    private void checkTimes(JWTClaimsSet claims, Instant expiration) throws StsException {
        Instant now = clock.instant();
        if (!now.isBefore(expiration)) {
            throw new StsException("ExpiredTokenException", "Token expired: current date/time " + now.getEpochSecond()
                    + " must be before the expiration date/time " + expiration.getEpochSecond());
        }
        Instant latest = now.plus(ALLOWED_SKEW);
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(latest)) {
            throw new StsException(INVALID, "The ID Token is not valid yet: its not-before date/time "
                    + notBefore.toInstant().getEpochSecond() + " is after the current date/time " + now.getEpochSecond());
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && issuedAt.toInstant().isAfter(latest)) {
            throw new StsException(INVALID, "The ID Token was issued in the future: its issue date/time "
                    + issuedAt.toInstant().getEpochSecond() + " is after the current date/time " + now.getEpochSecond());
        }
    }

    private static List<String> amr(JWTClaimsSet claims) throws StsException {
        Object amr = claims.getClaim("amr");
        if (amr == null) {
            return List.of();
        }
        if (amr instanceof String single) {
            return List.of(single);
        }
        if (amr instanceof List<?> values && values.stream().allMatch(String.class::isInstance)) {
            return values.stream().map(String.class::cast).toList();
        }
        throw new StsException(INVALID, "The ID Token's amr claim must be a string or a list of strings");
    }

    /**
     * The session tags, transitive tag keys and source identity of the token, in the shapes of
     * "Passing session tags in AWS STS" and "Monitor and control actions taken with assumed roles":
     *
     * <pre>
     * "https://aws.amazon.com/tags": {"principal_tags": {"Project": ["Automation"]},
     *                                 "transitive_tag_keys": ["Project"]},
     * "https://aws.amazon.com/source_identity": "Admin"
     * </pre>
     *
     * Each tag's value is an array holding one string: AWS supports no multivalued session tags.
     * AWS documents no refusal for claims of another shape; they are InvalidIdentityToken here, as
     * every malformed claim of the token is. The source identity is refused in the words that
     * "Troubleshoot SAML federation with IAM" quotes for the SAML attribute.
     */
    private static SessionClaims sessionClaims(JWTClaimsSet claims) throws StsException {
        Object namespace = claims.getClaim(TAGS_CLAIM);
        List<Tag> tags = new ArrayList<>();
        List<String> transitive = new ArrayList<>();
        if (namespace != null) {
            if (!(namespace instanceof Map<?, ?> members)) {
                throw new StsException(INVALID, "The ID Token's " + TAGS_CLAIM + " claim must be a JSON object "
                        + "with principal_tags and transitive_tag_keys");
            }
            Object principalTags = members.get("principal_tags");
            if (principalTags != null) {
                if (!(principalTags instanceof Map<?, ?> byKey)) {
                    throw new StsException(INVALID, "The ID Token's principal_tags must be a JSON object of tag keys "
                            + "and values");
                }
                for (Map.Entry<?, ?> tag : byKey.entrySet()) {
                    if (!(tag.getValue() instanceof List<?> values) || values.size() != 1
                            || !(values.get(0) instanceof String value)) {
                        throw new StsException(INVALID, "The ID Token's principal_tags value for " + tag.getKey()
                                + " must be an array of one string: multivalued session tags are not supported");
                    }
                    tags.add(new Tag(String.valueOf(tag.getKey()), value));
                }
            }
            Object transitiveKeys = members.get("transitive_tag_keys");
            if (transitiveKeys != null) {
                if (!(transitiveKeys instanceof List<?> keys) || !keys.stream().allMatch(String.class::isInstance)) {
                    throw new StsException(INVALID, "The ID Token's transitive_tag_keys must be an array of strings");
                }
                keys.forEach(key -> transitive.add((String) key));
            }
        }
        Object source = claims.getClaim(SOURCE_IDENTITY_CLAIM);
        if (source != null && !(source instanceof String name && StsRules.isName(name))) {
            throw new StsException(INVALID,
                    "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
        }
        return new SessionClaims(tags, transitive, (String) source);
    }

    /** An unmodifiable deep copy of a JSON value, so the verified claims cannot be altered afterwards. */
    @SuppressWarnings("unchecked")
    private static <T> T freeze(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return (T) Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(freeze(v)));
            return (T) Collections.unmodifiableList(copy);
        }
        return value;
    }
}
