package dev.gavel.sts;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.SignatureMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A SAML identity provider for tests: it builds responses as DOM, which a test may alter before
 * or after signing, and signs them with a key pair from a test keystore. Public for the tests of
 * other packages that sign in through the demo's identity provider.
 */
public final class SamlTestIdp {

    static final String ENTITY_ID = "https://example.com/saml";
    static final String SIGN_IN = "https://signin.aws.amazon.com/saml";
    static final String PROTOCOL = SamlVerifier.PROTOCOL_NS;
    static final String ASSERTION = SamlVerifier.ASSERTION_NS;

    final PrivateKey key;
    final X509Certificate certificate;

    private SamlTestIdp(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Loads the key pair of a keystore under {@code src/test/resources/dev/gavel/sts/}, or at an
     * absolute resource path such as {@code /dev/gavel/demo/example-idp.p12}.
     */
    public static SamlTestIdp load(String keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = SamlTestIdp.class.getResourceAsStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        return new SamlTestIdp((PrivateKey) store.getKey("idp", "changeit".toCharArray()),
                (X509Certificate) store.getCertificate("idp"));
    }

    /** The provider's metadata, with this certificate for signing and {@code encryption} for encryption only. */
    String metadata(X509Certificate encryption) throws Exception {
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
                + " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" + ENTITY_ID + "\">"
                + "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + keyDescriptor("encryption", encryption) + keyDescriptor("signing", certificate)
                + "</md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    private static String keyDescriptor(String use, X509Certificate certificate) throws Exception {
        return "<md:KeyDescriptor use=\"" + use + "\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>"
                + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
                + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
    }

    /** What a response says; tests change fields before {@link #build()}. */
    public static final class Response {
        String issuer = ENTITY_ID;
        String nameId = "_cbb88bf52c2510eabe00c1642d4643f41430fe25e3";
        String nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
        String audience = SIGN_IN;
        String recipient = SIGN_IN;
        String status = "urn:oasis:names:tc:SAML:2.0:status:Success";
        Instant notBefore;
        Instant notOnOrAfter;
        Instant confirmationNotOnOrAfter;
        final Map<String, List<String>> attributes = new LinkedHashMap<>();

        public Response(Instant now) {
            notBefore = now.minusSeconds(60);
            notOnOrAfter = now.plusSeconds(300);
            confirmationNotOnOrAfter = now.plusSeconds(300);
        }

        /** The Issuer of the response and its assertion: the provider's entity id. */
        public Response issuer(String entityId) {
            issuer = entityId;
            return this;
        }

        public Response attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }

        public Document build() throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().newDocument();
            Element response = document.createElementNS(PROTOCOL, "samlp:Response");
            document.appendChild(response);
            // Declared explicitly: canonicalization reads xmlns attributes, which a parsed document has.
            response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:samlp", PROTOCOL);
            response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:saml", ASSERTION);
            response.setAttribute("ID", "_response1");
            response.setAttribute("Version", "2.0");
            response.setAttribute("IssueInstant", notBefore.toString());
            response.setAttribute("Destination", SIGN_IN);
            text(response, ASSERTION, "saml:Issuer", issuer);
            Element status = add(add(response, PROTOCOL, "samlp:Status"), PROTOCOL, "samlp:StatusCode");
            status.setAttribute("Value", this.status);

            Element assertion = add(response, ASSERTION, "saml:Assertion");
            assertion.setAttribute("ID", "_assertion1");
            assertion.setAttribute("Version", "2.0");
            assertion.setAttribute("IssueInstant", notBefore.toString());
            text(assertion, ASSERTION, "saml:Issuer", issuer);
            Element subject = add(assertion, ASSERTION, "saml:Subject");
            text(subject, ASSERTION, "saml:NameID", nameId).setAttribute("Format", nameIdFormat);
            Element confirmation = add(subject, ASSERTION, "saml:SubjectConfirmation");
            confirmation.setAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer");
            Element data = add(confirmation, ASSERTION, "saml:SubjectConfirmationData");
            data.setAttribute("NotOnOrAfter", confirmationNotOnOrAfter.toString());
            data.setAttribute("Recipient", recipient);
            Element conditions = add(assertion, ASSERTION, "saml:Conditions");
            conditions.setAttribute("NotBefore", notBefore.toString());
            conditions.setAttribute("NotOnOrAfter", notOnOrAfter.toString());
            text(add(conditions, ASSERTION, "saml:AudienceRestriction"), ASSERTION, "saml:Audience", audience);
            Element statement = add(assertion, ASSERTION, "saml:AttributeStatement");
            attributes.forEach((name, values) -> {
                Element attribute = add(statement, ASSERTION, "saml:Attribute");
                attribute.setAttribute("Name", name);
                values.forEach(value -> text(attribute, ASSERTION, "saml:AttributeValue", value));
            });
            return document;
        }
    }

    /** Signs the Assertion the way IdPs do: an enveloped signature right after its Issuer. */
    public void signAssertion(Document document) throws Exception {
        sign(assertionOf(document), SignatureMethod.RSA_SHA256);
    }

    /** Signs the whole Response, which covers its Assertion. */
    void signResponse(Document document) throws Exception {
        sign(document.getDocumentElement(), SignatureMethod.RSA_SHA256);
    }

    void sign(Element element, String signatureMethod) throws Exception {
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
        Reference reference = factory.newReference("#" + element.getAttribute("ID"),
                factory.newDigestMethod(DigestMethod.SHA256, null),
                List.of(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                        factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)),
                null, null);
        SignedInfo info = factory.newSignedInfo(
                factory.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                factory.newSignatureMethod(signatureMethod, (SignatureMethodParameterSpec) null), List.of(reference));
        KeyInfoFactory keys = factory.getKeyInfoFactory();
        KeyInfo keyInfo = keys.newKeyInfo(List.of(keys.newX509Data(List.of(certificate))));
        element.setIdAttributeNS(null, "ID", true);
        Element issuer = (Element) element.getElementsByTagNameNS(ASSERTION, "Issuer").item(0);
        DOMSignContext context = new DOMSignContext(key, element, issuer.getNextSibling());
        context.setDefaultNamespacePrefix("ds");
        factory.newXMLSignature(info, keyInfo).sign(context);
    }

    static Element assertionOf(Document document) {
        return (Element) document.getElementsByTagNameNS(ASSERTION, "Assertion").item(0);
    }

    static String xml(Document document) throws Exception {
        var transformer = TransformerFactory.newDefaultInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The response as {@code AssumeRoleWithSAML} receives it: base64 of the XML. */
    public static String encode(Document document) throws Exception {
        return encode(xml(document));
    }

    static String encode(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    static Element add(Element parent, String namespace, String name) {
        Element child = parent.getOwnerDocument().createElementNS(namespace, name);
        parent.appendChild(child);
        return child;
    }

    static Element text(Element parent, String namespace, String name, String text) {
        Element child = add(parent, namespace, name);
        child.setTextContent(text);
        return child;
    }
}
