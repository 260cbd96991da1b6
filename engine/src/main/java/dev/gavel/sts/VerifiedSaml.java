package dev.gavel.sts;

import dev.gavel.directory.SamlProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SAML assertion that {@link SamlVerifier} accepted, and the {@code saml:} condition keys it
 * brings to the role's trust policy.
 *
 * @param issuer the assertion's {@code Issuer}, the provider's entity id
 * @param subject the {@code NameID} of the assertion's {@code Subject}
 * @param subjectType the {@code NameID} format, {@code persistent} or {@code transient} for the
 *     SAML 2.0 formats and the full URI for any other
 * @param audience the {@code Recipient} of the {@code SubjectConfirmationData}, normally
 *     {@code https://signin.aws.amazon.com/saml}
 * @param sessionDuration the {@code SessionDuration} attribute in seconds, or null when absent; it
 *     lengthens console sessions only, and can only shorten a session issued by the API
 * @param attributes every attribute of the assertion, by {@code Name}
 * @param sessionClaims the session tags, transitive tag keys and source identity the assertion passes
 */
public record VerifiedSaml(SamlProvider provider, String issuer, String subject, String subjectType, String audience,
        String sessionName, Integer sessionDuration, Map<String, List<String>> attributes,
        SessionClaims sessionClaims) {

    /**
     * An attribute that STS maps to a context key, from "Mapping SAML attributes to AWS trust
     * policy context keys" in the IAM User Guide; a single-valued key takes the first value.
     */
    private record AttributeKey(String attribute, String key, boolean multivalued) {}

    private static final String EDU_PERSON = "urn:oid:1.3.6.1.4.1.5923.1.1.1.";
    private static final String EDU_ORG = "urn:oid:1.3.6.1.4.1.5923.1.2.1.";
    private static final String CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

    /**
     * In the guide's order, so that when two attributes map to one key the first one present wins
     * ("only one claim will be mapped"). The guide's X.500 table misprints three OIDs
     * ({@code 2.4.5.42}, {@code 0.9.2342.19200300100.1.1} and {@code .3}); these are the real ones.
     * It maps the AD {@code primarygroupsid} claim to {@code uid}, a slip for the key
     * {@code saml:primaryGroupSID} that the condition key reference lists and nothing else fills.
     */
    private static final List<AttributeKey> MAPPED = List.of(
            new AttributeKey(EDU_PERSON + "1", "saml:edupersonaffiliation", true),
            new AttributeKey(EDU_PERSON + "2", "saml:edupersonnickname", true),
            new AttributeKey(EDU_PERSON + "3", "saml:edupersonorgdn", false),
            new AttributeKey(EDU_PERSON + "4", "saml:edupersonorgunitdn", true),
            new AttributeKey(EDU_PERSON + "5", "saml:edupersonprimaryaffiliation", false),
            new AttributeKey(EDU_PERSON + "6", "saml:edupersonprincipalname", false),
            new AttributeKey(EDU_PERSON + "7", "saml:edupersonentitlement", true),
            new AttributeKey(EDU_PERSON + "8", "saml:edupersonprimaryorgunitdn", false),
            new AttributeKey(EDU_PERSON + "9", "saml:edupersonscopedaffiliation", true),
            new AttributeKey(EDU_PERSON + "10", "saml:edupersontargetedid", true),
            new AttributeKey(EDU_PERSON + "11", "saml:edupersonassurance", true),
            new AttributeKey(EDU_ORG + "2", "saml:eduorghomepageuri", true),
            new AttributeKey(EDU_ORG + "3", "saml:eduorgidentityauthnpolicyuri", true),
            new AttributeKey(EDU_ORG + "4", "saml:eduorglegalname", true),
            new AttributeKey(EDU_ORG + "5", "saml:eduorgsuperioruri", true),
            new AttributeKey(EDU_ORG + "6", "saml:eduorgwhitepagesuri", true),
            new AttributeKey("urn:oid:2.5.4.3", "saml:cn", true),
            new AttributeKey(CLAIMS + "name", "saml:name", false),
            new AttributeKey("http://schemas.xmlsoap.org/claims/CommonName", "saml:commonName", false),
            new AttributeKey(CLAIMS + "givenname", "saml:givenName", false),
            new AttributeKey(CLAIMS + "surname", "saml:surname", false),
            new AttributeKey(CLAIMS + "emailaddress", "saml:mail", false),
            new AttributeKey("http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
                    "saml:primaryGroupSID", false),
            new AttributeKey("2.5.4.3", "saml:commonName", false),
            new AttributeKey("2.5.4.4", "saml:surname", false),
            new AttributeKey("2.5.4.42", "saml:givenName", false),
            new AttributeKey("2.5.4.45", "saml:x500UniqueIdentifier", false),
            new AttributeKey("0.9.2342.19200300.100.1.1", "saml:uid", false),
            new AttributeKey("0.9.2342.19200300.100.1.3", "saml:mail", false),
            new AttributeKey("0.9.2342.19200300.100.1.45", "saml:organizationStatus", false));

    public VerifiedSaml {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        attributes.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        attributes = Collections.unmodifiableMap(copy);
    }

    /** {@code saml:doc}: the account that owns the provider and the provider's name, {@code 123456789012/MyIdP}. */
    public String doc() {
        return provider.accountId() + "/" + provider.name();
    }

    /**
     * {@code saml:namequalifier}, STS's {@code NameQualifier}: base64 of the SHA-1 of the issuer,
     * the account id, a slash and the provider's name. With {@link #subject()} it identifies a user.
     */
    public String nameQualifier() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((issuer + provider.accountId() + "/" + provider.name()).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }

    /**
     * The keys STS puts in the request context of {@code AssumeRoleWithSAML} ("Available keys for
     * SAML-based AWS STS federation" in the IAM User Guide): {@code saml:aud} (the Recipient, not
     * the Audience), {@code saml:iss}, {@code saml:sub}, {@code saml:sub_type},
     * {@code saml:namequalifier}, {@code saml:doc}, the keys of the mapped attributes present, and
     * {@code aws:FederatedProvider}.
     */
    public Map<String, List<String>> contextKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("saml:aud", List.of(audience));
        keys.put("saml:iss", List.of(issuer));
        keys.put("saml:sub", List.of(subject));
        keys.put("saml:sub_type", List.of(subjectType));
        keys.put("saml:namequalifier", List.of(nameQualifier()));
        keys.put("saml:doc", List.of(doc()));
        for (AttributeKey mapped : MAPPED) {
            List<String> values = attributes.get(mapped.attribute());
            if (values != null && !values.isEmpty() && !keys.containsKey(mapped.key())) {
                keys.put(mapped.key(), mapped.multivalued() ? values : List.of(values.get(0)));
            }
        }
        keys.put("aws:FederatedProvider", List.of(provider.arn()));
        return Collections.unmodifiableMap(keys);
    }
}
