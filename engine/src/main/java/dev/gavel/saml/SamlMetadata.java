package dev.gavel.saml;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What Gavel needs from an identity provider's SAML 2.0 metadata: its entity id, which must be
 * the {@code Issuer} of its responses, and the certificates whose keys sign them.
 *
 * <p>The signing certificates are those of the {@code IDPSSODescriptor}'s key descriptors with
 * {@code use="signing"} or no {@code use} (SAML metadata §2.4.1.1: no use means both uses).
 * Read with {@link SecureXml}: no DTD, so no entity expansion or external fetch.
 *
 * @param certificates the signing certificates, in document order, never empty
 */
public record SamlMetadata(String entityId, List<X509Certificate> certificates) {

    public SamlMetadata {
        certificates = List.copyOf(certificates);
    }

    /**
     * Reads metadata whose root is an {@code md:EntityDescriptor} with an {@code IDPSSODescriptor}.
     *
     * @throws SamlMetadataException {@code InvalidInput}, as IAM answers a metadata document it cannot use
     */
    public static SamlMetadata parse(String metadataXml) throws SamlMetadataException {
        Document document;
        try {
            document = SecureXml.parse(new InputSource(new StringReader(metadataXml == null ? "" : metadataXml)));
        } catch (SAXException e) {
            throw invalid("it is not well-formed XML without a DTD (" + e.getMessage() + ")");
        }
        Element root = document.getDocumentElement();
        if (!SecureXml.is(root, SecureXml.METADATA_NS, "EntityDescriptor")) {
            throw invalid("its root element is not a SAML 2.0 md:EntityDescriptor");
        }
        String entityId = root.getAttribute("entityID");
        if (entityId.isEmpty()) {
            throw invalid("the EntityDescriptor has no entityID");
        }
        List<Element> idps = SecureXml.children(root, SecureXml.METADATA_NS, "IDPSSODescriptor");
        if (idps.size() != 1) {
            throw invalid("the EntityDescriptor must have exactly one IDPSSODescriptor, not " + idps.size());
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element descriptor : SecureXml.children(idps.get(0), SecureXml.METADATA_NS, "KeyDescriptor")) {
            String use = descriptor.getAttribute("use");
            if (!use.isEmpty() && !use.equals("signing")) {
                continue;
            }
            for (Element keyInfo : SecureXml.children(descriptor, SecureXml.DSIG_NS, "KeyInfo")) {
                for (Element data : SecureXml.children(keyInfo, SecureXml.DSIG_NS, "X509Data")) {
                    for (Element certificate : SecureXml.children(data, SecureXml.DSIG_NS, "X509Certificate")) {
                        certificates.add(certificate(certificate.getTextContent()));
                    }
                }
            }
        }
        if (certificates.isEmpty()) {
            throw invalid("the IDPSSODescriptor has no signing certificate");
        }
        return new SamlMetadata(entityId, certificates);
    }

    private static X509Certificate certificate(String base64) throws SamlMetadataException {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.strip());
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw invalid("an X509Certificate is not a base64 DER certificate");
        }
    }

    private static SamlMetadataException invalid(String why) {
        return new SamlMetadataException("Could not parse metadata: " + why);
    }
}
