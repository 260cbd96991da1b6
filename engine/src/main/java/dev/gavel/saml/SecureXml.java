package dev.gavel.saml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Hardened XML reading for SAML documents: no DTD, so no entity expansion or external fetch,
 * ever; and the small DOM helpers that reading SAML needs.
 */
public final class SecureXml {

    public static final String METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    public static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    /** Turns parser warnings and errors into exceptions instead of lines on standard error. */
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SecureXml() {}

    /**
     * Parses XML with every feature an attacker could use turned off: DOCTYPE declarations are
     * fatal (which rules out entity expansion and external entities), XInclude and external DTD
     * or schema access are off, and secure processing bounds what remains. Namespace aware, and
     * comments are kept, because dropping them would change what a signature covers.
     */
    public static Document parse(InputSource xml) throws SAXException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            return builder.parse(xml);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a hardening feature", e);
        } catch (IOException e) {
            throw new SAXException("unreadable XML", e);
        }
    }

    /** The element children of {@code parent} with the given name, in document order. */
    public static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                found.add(element);
            }
        }
        return found;
    }

    public static boolean is(Element element, String namespace, String localName) {
        return namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }
}
