package dev.gavel.sts;

import static dev.gavel.saml.SecureXml.DSIG_NS;
import static dev.gavel.saml.SecureXml.children;
import static dev.gavel.saml.SecureXml.is;

import dev.gavel.directory.SamlProvider;
import dev.gavel.directory.Tag;
import dev.gavel.saml.SamlMetadata;
import dev.gavel.saml.SamlMetadataException;
import dev.gavel.saml.SecureXml;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Verifies the SAML 2.0 response of {@code AssumeRoleWithSAML} against the IAM SAML provider it
 * names, as STS does before it evaluates the role's trust policy.
 *
 * <p>Signature wrapping is the classic attack on SAML: the verifier checks one element's
 * signature while the application reads another. Here the element read and the element signed
 * cannot differ, by construction:
 *
 * <ul>
 *   <li>the document must hold exactly one {@code Assertion}, a child of the {@code Response};
 *   <li>IDs are registered only on that Response and that Assertion, and must differ;
 *   <li>only a {@code Signature} that is a child of the Response or of the Assertion counts, and
 *       its single reference must point at that parent (an enveloped signature), so a valid
 *       signature covers the Assertion either way;
 *   <li>the key comes from the provider's metadata, never from the signature's own
 *       {@code KeyInfo}, and the profile is fixed: exclusive canonicalization, the
 *       enveloped-signature transform, RSA with SHA-256 or stronger.
 * </ul>
 *
 * Text is read with {@code getTextContent}, which joins the text around comments, the same text
 * that exclusive canonicalization signs, so a comment cannot truncate a signed {@code NameID}.
 */
public final class SamlVerifier {

    /** How far {@code NotBefore} may lie ahead of our clock, for identity providers whose clocks run fast. */
    static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);

    static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String ROLE = "https://aws.amazon.com/SAML/Attributes/Role";
    static final String ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    static final String SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
    static final String PRINCIPAL_TAG = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
    static final String TRANSITIVE_TAG_KEYS = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
    static final String SOURCE_IDENTITY = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";

    private static final String INVALID = "InvalidIdentityToken";
    private static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    private static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    private static final String NAME_ID_FORMAT_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
    private static final String UNSPECIFIED_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
    private static final String AWS_AUDIENCE = "urn:amazon:webservices";
    /** The AWS sign-in endpoint, global or regional, in each partition; {@code /acs/ID} when responses are encrypted. */
    private static final Pattern SIGN_IN_ENDPOINT = Pattern.compile(
            "https://([a-z0-9-]+\\.)?signin\\.(aws\\.amazon\\.com|amazonaws\\.cn|amazonaws-us-gov\\.com)/saml(/acs/[A-Za-z0-9-]+)?");
    private static final Set<String> SIGNATURE_METHODS = Set.of(SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384,
            SignatureMethod.RSA_SHA512);
    private static final Set<String> DIGEST_METHODS = Set.of(DigestMethod.SHA256, DigestMethod.SHA384, DigestMethod.SHA512);
    private static final Set<String> TRANSFORMS = Set.of(Transform.ENVELOPED, CanonicalizationMethod.EXCLUSIVE);

    /** A provider's parsed metadata, kept with the text it came from so that changed metadata is parsed again. */
    private record CachedMetadata(String xml, SamlMetadata metadata) {}

    private final Clock clock;
    private final Map<String, CachedMetadata> metadataByProvider = new ConcurrentHashMap<>();

    public SamlVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Verifies a base64 SAML response for assuming {@code roleArn} through {@code provider}.
     *
     * @throws StsException {@code InvalidIdentityToken}, {@code ExpiredTokenException} or
     *     {@code IDPRejectedClaim}, as STS answers; {@code InvalidInput} if the provider's metadata
     *     is unusable
     */
    public VerifiedSaml verify(String base64Response, SamlProvider provider, String roleArn) throws StsException {
        SamlMetadata metadata = metadata(provider);
        Element response = parse(base64Response).getDocumentElement();
        if (!is(response, PROTOCOL_NS, "Response") || !"2.0".equals(response.getAttribute("Version"))) {
            throw invalid("the document is not a SAML 2.0 samlp:Response");
        }
        checkStatus(response);
        Element assertion = soleAssertion(response);
        registerIds(response, assertion);
        verifySignatures(response, assertion, metadata.certificates());

        String issuer = issuer(response, assertion, metadata.entityId());
        Instant now = clock.instant();
        checkDestination(response);
        checkConditions(sole(assertion, ASSERTION_NS, "Conditions", "Assertion"), now);
        Element subject = sole(assertion, ASSERTION_NS, "Subject", "Assertion");
        Element nameId = sole(subject, ASSERTION_NS, "NameID", "Subject");
        String recipient = checkConfirmation(subject, now);

        Map<String, List<String>> attributes = attributes(assertion);
        checkRole(attributes, roleArn, provider.arn());
        return new VerifiedSaml(provider, issuer, nameId.getTextContent().strip(), subjectType(nameId), recipient,
                sessionName(attributes), sessionDuration(attributes), attributes, sessionClaims(attributes));
    }

    private SamlMetadata metadata(SamlProvider provider) throws StsException {
        CachedMetadata cached = metadataByProvider.get(provider.arn());
        if (cached != null && cached.xml().equals(provider.metadataXml())) {
            return cached.metadata();
        }
        SamlMetadata metadata;
        try {
            metadata = SamlMetadata.parse(provider.metadataXml());
        } catch (SamlMetadataException e) {
            throw new StsException("InvalidInput", e.getMessage());
        }
        metadataByProvider.put(provider.arn(), new CachedMetadata(provider.metadataXml(), metadata));
        return metadata;
    }

    private static Document parse(String base64Response) throws StsException {
        byte[] xml;
        try {
            xml = Base64.getDecoder().decode(base64Response == null ? "" : base64Response.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw invalid("the SAML response is not base64");
        }
        try {
            return SecureXml.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException e) {
            throw invalid("the SAML response is not well-formed XML without a DTD (" + e.getMessage() + ")");
        }
    }

    private static void checkStatus(Element response) throws StsException {
        Element status = sole(response, PROTOCOL_NS, "Status", "Response");
        Element code = sole(status, PROTOCOL_NS, "StatusCode", "Status");
        if (!SUCCESS.equals(code.getAttribute("Value"))) {
            throw new StsException("IDPRejectedClaim",
                    "The identity provider reported that authentication failed (status " + code.getAttribute("Value") + ")");
        }
    }

    /** The one Assertion of the document: a second one anywhere, or an encrypted one, is refused. */
    private static Element soleAssertion(Element response) throws StsException {
        Document document = response.getOwnerDocument();
        if (document.getElementsByTagNameNS(ASSERTION_NS, "EncryptedAssertion").getLength() > 0) {
            throw invalid("encrypted assertions are not supported");
        }
        int count = document.getElementsByTagNameNS(ASSERTION_NS, "Assertion").getLength();
        List<Element> direct = children(response, ASSERTION_NS, "Assertion");
        if (count != 1 || direct.size() != 1) {
            throw invalid("the SAML response must contain exactly one Assertion, a child of the Response, not " + count);
        }
        Element assertion = direct.get(0);
        if (!"2.0".equals(assertion.getAttribute("Version"))) {
            throw invalid("the Assertion is not a SAML 2.0 assertion");
        }
        return assertion;
    }

    /**
     * Declares the {@code ID} attributes of the Response and the Assertion as XML IDs, so that
     * signature references resolve to them and to nothing else.
     */
    private static void registerIds(Element response, Element assertion) throws StsException {
        String responseId = response.getAttribute("ID");
        String assertionId = assertion.getAttribute("ID");
        if (responseId.isEmpty() || assertionId.isEmpty()) {
            throw invalid("the Response and its Assertion must each have an ID");
        }
        if (responseId.equals(assertionId)) {
            throw invalid("the Response and its Assertion have the same ID");
        }
        response.setIdAttributeNS(null, "ID", true);
        assertion.setIdAttributeNS(null, "ID", true);
    }

    private static void verifySignatures(Element response, Element assertion, List<X509Certificate> certificates)
            throws StsException {
        List<Element> signatures = new ArrayList<>(children(response, DSIG_NS, "Signature"));
        signatures.addAll(children(assertion, DSIG_NS, "Signature"));
        if (signatures.isEmpty()) {
            throw invalid("Response signature invalid: neither the Response nor its Assertion is signed");
        }
        for (Element signature : signatures) {
            if (!valid(signature, certificates)) {
                throw invalid("Response signature invalid: no signing certificate of the provider verifies it");
            }
        }
    }

    private static boolean valid(Element signatureElement, List<X509Certificate> certificates) throws StsException {
        Element signed = (Element) signatureElement.getParentNode();
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
        for (X509Certificate certificate : certificates) {
            DOMValidateContext context = new DOMValidateContext(certificate.getPublicKey(), signatureElement);
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            try {
                // A signature caches its validation result, so each certificate gets a fresh one.
                XMLSignature signature = factory.unmarshalXMLSignature(context);
                checkProfile(signature.getSignedInfo(), signed);
                if (signature.validate(context)) {
                    return true;
                }
            } catch (MarshalException e) {
                // Malformed, or an algorithm that secure validation forbids, such as RSA-SHA1 on newer JDKs.
                throw invalid("Response signature invalid: " + e.getMessage());
            } catch (XMLSignatureException e) {
                // This certificate's key cannot check this signature; another may.
            }
        }
        return false;
    }

    private static void checkProfile(SignedInfo info, Element signed) throws StsException {
        if (!CanonicalizationMethod.EXCLUSIVE.equals(info.getCanonicalizationMethod().getAlgorithm())) {
            throw invalid("Response signature invalid: canonicalization must be exclusive XML canonicalization");
        }
        if (!SIGNATURE_METHODS.contains(info.getSignatureMethod().getAlgorithm())) {
            throw invalid("Response signature invalid: the signature method must be RSA with SHA-256 or stronger, not "
                    + info.getSignatureMethod().getAlgorithm());
        }
        List<?> references = info.getReferences();
        if (references.size() != 1) {
            throw invalid("Response signature invalid: the signature must have exactly one reference");
        }
        Reference reference = (Reference) references.get(0);
        String id = signed.getAttribute("ID");
        if (!("#" + id).equals(reference.getURI()) || signed.getOwnerDocument().getElementById(id) != signed) {
            throw invalid("Response signature invalid: the signature must reference the element that contains it");
        }
        if (!DIGEST_METHODS.contains(reference.getDigestMethod().getAlgorithm())) {
            throw invalid("Response signature invalid: the digest method must be SHA-256 or stronger");
        }
        boolean enveloped = false;
        for (Object transform : reference.getTransforms()) {
            String algorithm = ((Transform) transform).getAlgorithm();
            if (!TRANSFORMS.contains(algorithm)) {
                throw invalid("Response signature invalid: unsupported transform " + algorithm);
            }
            enveloped |= Transform.ENVELOPED.equals(algorithm);
        }
        if (!enveloped) {
            throw invalid("Response signature invalid: the signature must be enveloped");
        }
    }

    private static String issuer(Element response, Element assertion, String entityId) throws StsException {
        String issuer = sole(assertion, ASSERTION_NS, "Issuer", "Assertion").getTextContent().strip();
        if (!issuer.equals(entityId)) {
            throw invalid("Issuer not present in specified provider: " + issuer);
        }
        for (Element responseIssuer : children(response, ASSERTION_NS, "Issuer")) {
            if (!responseIssuer.getTextContent().strip().equals(entityId)) {
                throw invalid("Issuer not present in specified provider: " + responseIssuer.getTextContent().strip());
            }
        }
        return issuer;
    }

    private static void checkDestination(Element response) throws StsException {
        String destination = response.getAttribute("Destination");
        if (!destination.isEmpty() && !SIGN_IN_ENDPOINT.matcher(destination).matches()) {
            throw invalid("the Response's Destination is not an AWS sign-in endpoint: " + destination);
        }
    }

    private static void checkConditions(Element conditions, Instant now) throws StsException {
        String notBefore = conditions.getAttribute("NotBefore");
        if (!notBefore.isEmpty() && instant(notBefore, "NotBefore").isAfter(now.plus(ALLOWED_SKEW))) {
            throw invalid("the SAML assertion is not valid yet: its NotBefore is " + notBefore + ", now is " + now);
        }
        String notOnOrAfter = conditions.getAttribute("NotOnOrAfter");
        if (!notOnOrAfter.isEmpty() && !now.isBefore(instant(notOnOrAfter, "NotOnOrAfter"))) {
            throw expired("its Conditions NotOnOrAfter is " + notOnOrAfter + ", now is " + now);
        }
        List<Element> restrictions = children(conditions, ASSERTION_NS, "AudienceRestriction");
        if (restrictions.isEmpty()) {
            throw invalid("the SAML assertion has no AudienceRestriction naming AWS");
        }
        // Every AudienceRestriction must be met (SAML core 2.5.1.4), each by any of its audiences.
        for (Element restriction : restrictions) {
            boolean aws = false;
            for (Element audience : children(restriction, ASSERTION_NS, "Audience")) {
                String value = audience.getTextContent().strip();
                aws |= value.equals(AWS_AUDIENCE) || SIGN_IN_ENDPOINT.matcher(value).matches();
            }
            if (!aws) {
                throw invalid("the SAML assertion's audience must be https://signin.aws.amazon.com/saml or urn:amazon:webservices");
            }
        }
    }

    /** Checks the one bearer SubjectConfirmation and returns its Recipient, the key {@code saml:aud}. */
    private static String checkConfirmation(Element subject, Instant now) throws StsException {
        Element confirmation = sole(subject, ASSERTION_NS, "SubjectConfirmation", "Subject");
        if (!BEARER.equals(confirmation.getAttribute("Method"))) {
            throw invalid("the SubjectConfirmation method must be " + BEARER);
        }
        Element data = sole(confirmation, ASSERTION_NS, "SubjectConfirmationData", "SubjectConfirmation");
        String recipient = data.getAttribute("Recipient");
        if (!SIGN_IN_ENDPOINT.matcher(recipient).matches()) {
            throw invalid("the SubjectConfirmationData Recipient must be an AWS sign-in endpoint, not '" + recipient + "'");
        }
        String notOnOrAfter = data.getAttribute("NotOnOrAfter");
        if (notOnOrAfter.isEmpty()) {
            throw invalid("the SubjectConfirmationData has no NotOnOrAfter");
        }
        if (!now.isBefore(instant(notOnOrAfter, "NotOnOrAfter"))) {
            throw expired("its SubjectConfirmationData NotOnOrAfter is " + notOnOrAfter + ", now is " + now);
        }
        String notBefore = data.getAttribute("NotBefore");
        if (!notBefore.isEmpty() && instant(notBefore, "NotBefore").isAfter(now.plus(ALLOWED_SKEW))) {
            throw invalid("the SAML assertion is not valid yet: its SubjectConfirmationData NotBefore is " + notBefore);
        }
        return recipient;
    }

    /** The attributes of every AttributeStatement, by Name, values in document order. */
    private static Map<String, List<String>> attributes(Element assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Element statement : children(assertion, ASSERTION_NS, "AttributeStatement")) {
            for (Element attribute : children(statement, ASSERTION_NS, "Attribute")) {
                List<String> values = attributes.computeIfAbsent(attribute.getAttribute("Name"), name -> new ArrayList<>());
                for (Element value : children(attribute, ASSERTION_NS, "AttributeValue")) {
                    values.add(value.getTextContent().strip());
                }
            }
        }
        return attributes;
    }

    /** The Role attribute must hold the pair {@code roleArn,providerArn}, in either order. */
    private static void checkRole(Map<String, List<String>> attributes, String roleArn, String providerArn)
            throws StsException {
        for (String pair : attributes.getOrDefault(ROLE, List.of())) {
            String[] arns = pair.split(",", -1);
            if (arns.length == 2 && Set.of(arns[0].strip(), arns[1].strip()).equals(Set.of(roleArn, providerArn))) {
                return;
            }
        }
        throw invalid("the SAML assertion's Role attribute does not allow role " + roleArn + " through provider "
                + providerArn);
    }

    /** The RoleSessionName attribute; both refusals are worded as "Troubleshoot SAML federation with IAM" quotes them. */
    private static String sessionName(Map<String, List<String>> attributes) throws StsException {
        List<String> values = attributes.getOrDefault(ROLE_SESSION_NAME, List.of());
        if (values.isEmpty()) {
            throw invalid("RoleSessionName is required in AuthnResponse");
        }
        if (values.size() != 1 || !StsRules.isName(values.get(0))) {
            throw invalid("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }
        return values.get(0);
    }

    /**
     * The session tags ({@code PrincipalTag:KEY}, one attribute per tag), transitive tag keys
     * (multivalued) and source identity of the assertion ("Configuring SAML assertions for the
     * authentication response"). Attribute names are case-sensitive, as for every AWS attribute.
     */
    private static SessionClaims sessionClaims(Map<String, List<String>> attributes) throws StsException {
        List<Tag> tags = new ArrayList<>();
        for (Map.Entry<String, List<String>> attribute : attributes.entrySet()) {
            if (attribute.getKey().startsWith(PRINCIPAL_TAG)) {
                if (attribute.getValue().size() != 1) {
                    // AWS documents that multivalued session tags are not supported, but not the
                    // refusal; this one is InvalidIdentityToken like every malformed attribute here.
                    throw invalid("the SAML assertion's attribute " + attribute.getKey() + " must have exactly one "
                            + "AttributeValue, not " + attribute.getValue().size()
                            + ": multivalued session tags are not supported");
                }
                tags.add(new Tag(attribute.getKey().substring(PRINCIPAL_TAG.length()), attribute.getValue().get(0)));
            }
        }
        List<String> transitive = attributes.getOrDefault(TRANSITIVE_TAG_KEYS, List.of());
        List<String> source = attributes.get(SOURCE_IDENTITY);
        if (source != null && (source.size() != 1 || !StsRules.isName(source.get(0)))) {
            // Worded as "Troubleshoot SAML federation with IAM" quotes it.
            throw invalid("Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
        }
        return new SessionClaims(tags, transitive, source == null ? null : source.get(0));
    }

    private static Integer sessionDuration(Map<String, List<String>> attributes) throws StsException {
        List<String> values = attributes.get(SESSION_DURATION);
        if (values == null) {
            return null;
        }
        try {
            if (values.size() == 1) {
                int seconds = Integer.parseInt(values.get(0));
                if (seconds >= 900 && seconds <= 43200) {
                    return seconds;
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid("the SAML assertion's SessionDuration must be one number of seconds from 900 to 43200");
    }

    /** The NameID format as STS reports it: SAML 2.0 formats by their last word, others whole. */
    private static String subjectType(Element nameId) {
        String format = nameId.getAttribute("Format");
        if (format.isEmpty()) {
            return UNSPECIFIED_FORMAT;
        }
        return format.startsWith(NAME_ID_FORMAT_PREFIX) ? format.substring(NAME_ID_FORMAT_PREFIX.length()) : format;
    }

    private static Element sole(Element parent, String namespace, String localName, String parentName)
            throws StsException {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() != 1) {
            throw invalid("the " + parentName + " must have exactly one " + localName + ", not " + found.size());
        }
        return found.get(0);
    }

    /** An xs:dateTime; SAML requires UTC, and one without a zone is read as UTC. */
    private static Instant instant(String dateTime, String name) throws StsException {
        try {
            return OffsetDateTime.parse(dateTime).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(dateTime).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw invalid("the SAML assertion's " + name + " is not a date/time: " + dateTime);
            }
        }
    }

    private static StsException invalid(String message) {
        return new StsException(INVALID, message);
    }

    private static StsException expired(String why) {
        return new StsException("ExpiredTokenException", "The SAML assertion has expired: " + why);
    }
}
