package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
import dev.gavel.saml.SecureXml;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The groups of condition keys S3 fills from a request, each named as the service catalog spells
 * them, and how each is read: from the authentication, a header, a query parameter or the body.
 * A key is filled only when the request carries what it is read from.
 */
enum S3Keys {

    /** How the request was signed; every operation carries these. */
    AUTHENTICATION("s3:authType", "s3:signatureversion", "s3:signatureAge", "s3:x-amz-content-sha256") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            Authentication authentication = call.authentication();
            if (authentication.kind() != Authentication.Kind.ANONYMOUS) {
                context.put("s3:authType", authentication.kind() == Authentication.Kind.PRESIGNED
                        ? "REST-QUERY-STRING" : "REST-HEADER");
                context.put("s3:signatureversion", "AWS4-HMAC-SHA256");
                context.put("s3:signatureAge", Long.toString(authentication.signatureAgeMillis()));
            }
            header(call, context, "s3:x-amz-content-sha256", "x-amz-content-sha256");
        }
    },

    /** A listing's parameters. */
    LISTING("s3:prefix", "s3:delimiter", "s3:max-keys") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) {
            parameter(call, context, "s3:prefix", "prefix");
            parameter(call, context, "s3:delimiter", "delimiter");
            parameter(call, context, "s3:max-keys", "max-keys");
        }
    },

    /** A canned ACL or explicit grants sent as headers. */
    ACL("s3:x-amz-acl", "s3:x-amz-grant-full-control", "s3:x-amz-grant-read", "s3:x-amz-grant-read-acp",
            "s3:x-amz-grant-write", "s3:x-amz-grant-write-acp") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            for (String key : names()) {
                header(call, context, key, key.substring("s3:".length()));
            }
        }
    },

    /** The object version a request names with {@code versionId}. */
    VERSION("s3:versionid") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) {
            parameter(call, context, "s3:versionid", "versionId");
        }
    },

    /** How a new object is stored: encryption, storage class, redirect, Object Lock, and the operation creating it. */
    OBJECT_CREATION("s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
            "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-storage-class",
            "s3:x-amz-website-redirect-location", "s3:object-lock-mode", "s3:object-lock-retain-until-date",
            "s3:object-lock-legal-hold", "s3:ObjectCreationOperation") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            for (String key : names()) {
                if (key.startsWith("s3:x-amz-")) {
                    header(call, context, key, key.substring("s3:".length()));
                }
            }
            header(call, context, "s3:object-lock-mode", "x-amz-object-lock-mode");
            header(call, context, "s3:object-lock-retain-until-date", "x-amz-object-lock-retain-until-date");
            header(call, context, "s3:object-lock-legal-hold", "x-amz-object-lock-legal-hold");
            context.put("s3:ObjectCreationOperation", call.operation().operation());
        }
    },

    /** The tags a new object gets from the {@code x-amz-tagging} header, a query string of key=value pairs. */
    OBJECT_TAGS("s3:RequestObjectTag/<key>", "s3:RequestObjectTagKeys") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            String tagging = call.request().header("x-amz-tagging");
            if (tagging == null) {
                return;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (UriParts.Pair pair : UriParts.pairs(tagging)) {
                if (pair.malformed()) {
                    throw new GatewayException("InvalidArgument", 400, "The x-amz-tagging header is not a "
                            + "percent-encoded query string: '" + pair.raw() + "'.");
                }
                addTag(tags, pair.name(), pair.value());
            }
            putTags(context, tags);
        }
    },

    /** The tags {@code PutObjectTagging} sets, from its XML body when the gateway passes the body. */
    TAGGING_BODY("s3:RequestObjectTag/<key>", "s3:RequestObjectTagKeys") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            Element tagging = bodyRoot(call, "Tagging");
            if (tagging == null) {
                return;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (Element tag : descendants(tagging, "Tag")) {
                String key = childText(tag, "Key");
                String value = childText(tag, "Value");
                if (key == null) {
                    throw malformed("a Tag has no Key");
                }
                addTag(tags, key, value == null ? "" : value);
            }
            putTags(context, tags);
        }
    },

    /** The conditional-write headers, which S3 reads for object uploads. */
    CONDITIONAL_WRITE("s3:if-match", "s3:if-none-match") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            header(call, context, "s3:if-match", "if-match");
            header(call, context, "s3:if-none-match", "if-none-match");
        }
    },

    /** A copy's source and what happens to its metadata. */
    COPY("s3:x-amz-copy-source", "s3:x-amz-metadata-directive") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            String source = call.request().header("x-amz-copy-source");
            if (source != null) {
                context.put("s3:x-amz-copy-source", copySource(source));
            }
            header(call, context, "s3:x-amz-metadata-directive", "x-amz-metadata-directive");
        }
    },

    /** A new bucket's object ownership (a header) and region (its XML body, when the gateway passes it). */
    BUCKET_CREATION("s3:x-amz-object-ownership", "s3:locationconstraint") {
        @Override
        void fill(S3Call call, RequestContext.Builder context) throws GatewayException {
            header(call, context, "s3:x-amz-object-ownership", "x-amz-object-ownership");
            Element configuration = bodyRoot(call, "CreateBucketConfiguration");
            String location = configuration == null ? null : childText(configuration, "LocationConstraint");
            if (location != null && !location.isEmpty()) {
                context.put("s3:locationconstraint", location);
            }
        }
    };

    /** S3 keeps at most 10 tags on an object. */
    private static final int MAX_TAGS = 10;

    private final List<String> names;

    S3Keys(String... names) {
        this.names = List.of(names);
    }

    /** The keys this group can fill, spelt as the service catalog spells them ({@code <key>} for a tag key). */
    List<String> names() {
        return names;
    }

    /** Puts the group's keys that the request carries. */
    abstract void fill(S3Call call, RequestContext.Builder context) throws GatewayException;

    /**
     * Puts the header's value under the key. A header given twice is refused: which of its values
     * S3 would act on is not Gavel's to guess, and a policy must see the one it does.
     */
    private static void header(S3Call call, RequestContext.Builder context, String key, String header)
            throws GatewayException {
        List<String> values = call.request().headerValues(header);
        if (values.size() > 1) {
            throw new GatewayException("InvalidArgument", 400, "The header " + header + " is given more than once.");
        }
        if (!values.isEmpty()) {
            context.put(key, values.get(0).trim());
        }
    }

    private static void parameter(S3Call call, RequestContext.Builder context, String key, String parameter) {
        String value = call.query().get(parameter);
        if (value != null) {
            context.put(key, value);
        }
    }

    private static void addTag(Map<String, String> tags, String key, String value) throws GatewayException {
        if (tags.putIfAbsent(key, value) != null) {
            throw new GatewayException("InvalidTag", 400, "Cannot provide multiple Tags with the same key: '"
                    + key + "'.");
        }
        if (tags.size() > MAX_TAGS) {
            throw new GatewayException("BadRequest", 400, "Object tags cannot be greater than " + MAX_TAGS);
        }
    }

    private static void putTags(RequestContext.Builder context, Map<String, String> tags) {
        tags.forEach((key, value) -> context.put("s3:RequestObjectTag/" + key, value));
        context.putMultivalued("s3:RequestObjectTagKeys", List.copyOf(tags.keySet()));
    }

    /**
     * The copy source as policies match it, {@code bucket/key}: percent-decoded as a path is (a
     * raw {@code +} is a space), without the leading slash; a {@code ?versionId=} stays as sent.
     */
    private static String copySource(String header) throws GatewayException {
        String source = header.trim();
        int question = source.indexOf('?');
        String version = question < 0 ? "" : source.substring(question);
        String path = UriParts.decode(question < 0 ? source : source.substring(0, question), true);
        if (path != null && path.startsWith("/")) {
            path = path.substring(1);
        }
        int slash = path == null ? -1 : path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new GatewayException("InvalidArgument", 400, "Copy Source must mention the source bucket and "
                    + "key: sourcebucket/sourcekey; the x-amz-copy-source header is '" + header + "'.");
        }
        return path + version;
    }

    /** The body's root element when the gateway passed a body, else null; a body that is not the named XML is refused. */
    private static Element bodyRoot(S3Call call, String name) throws GatewayException {
        byte[] body = call.request().body();
        if (body == null || body.length == 0) {
            return null;
        }
        Document document;
        try {
            document = SecureXml.parse(new InputSource(new ByteArrayInputStream(body)));
        } catch (SAXException e) {
            throw malformed("the body is not well-formed XML");
        }
        Element root = document.getDocumentElement();
        if (!name.equals(root.getLocalName())) {
            throw malformed("the body's root element is " + root.getLocalName() + ", not " + name);
        }
        return root;
    }

    private static List<Element> descendants(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> elements = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String childText(Element parent, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                return element.getTextContent();
            }
        }
        return null;
    }

    private static GatewayException malformed(String problem) {
        return new GatewayException("MalformedXML", 400, "The XML you provided was not well-formed or did not "
                + "validate against our published schema: " + problem + ".");
    }
}
