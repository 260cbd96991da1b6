package dev.gavel.sts;

import dev.gavel.directory.OidcProvider;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenID Connect ID token that {@link WebIdentityVerifier} accepted, and the condition keys it
 * brings to the role's trust policy.
 *
 * @param audience the token audience that matched one of the provider's client ids
 * @param audiences every audience of the token
 * @param amr the token's authentication methods references, empty when it has none
 * @param issuedAt the token's {@code iat}, or null when it has none
 * @param claims every claim of the token, dates as epoch seconds
 * @param sessionClaims the session tags, transitive tag keys and source identity the token passes
 */
public record VerifiedWebIdentity(OidcProvider provider, String subject, String audience, List<String> audiences,
        List<String> amr, Instant issuedAt, Instant expiresAt, Map<String, Object> claims,
        SessionClaims sessionClaims) {

    private static final String GOOGLE = "accounts.google.com";

    public VerifiedWebIdentity {
        audiences = List.copyOf(audiences);
        amr = List.copyOf(amr);
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /**
     * The keys STS puts in the request context of {@code AssumeRoleWithWebIdentity}, named after the
     * provider's host ("Available keys for AWS web identity federation" in the IAM User Guide):
     * {@code HOST:aud}, {@code HOST:sub}, the multivalued {@code HOST:amr} when the token has
     * {@code amr}, and {@code aws:FederatedProvider}. For Google, {@code accounts.google.com:oaud}
     * is the token's {@code aud} while {@code accounts.google.com:aud} is its {@code azp} when set,
     * the authorized party of hybrid apps.
     */
    public Map<String, List<String>> contextKeys() {
        String host = provider.host();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (host.equals(GOOGLE)) {
            Object azp = claims.get("azp");
            keys.put(host + ":aud", List.of(azp instanceof String party && !party.isEmpty() ? party : audience));
            keys.put(host + ":oaud", List.of(audience));
        } else {
            keys.put(host + ":aud", List.of(audience));
        }
        keys.put(host + ":sub", List.of(subject));
        if (!amr.isEmpty()) {
            keys.put(host + ":amr", amr);
        }
        keys.put("aws:FederatedProvider", List.of(provider.arn()));
        return Collections.unmodifiableMap(keys);
    }
}
