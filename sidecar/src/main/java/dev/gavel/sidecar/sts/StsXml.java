package dev.gavel.sidecar.sts;

/**
 * Writes the STS query API's XML documents as AWS shapes them: an answer is
 * {@code <ActionResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">} holding
 * {@code <ActionResult>} and {@code <ResponseMetadata><RequestId>}; a refusal is
 * {@code <ErrorResponse>} holding {@code <Error>} ({@code Type}, {@code Code}, {@code Message}) and
 * {@code <RequestId>}. Indented by two spaces, as AWS answers.
 *
 * <p>Text is escaped for XML 1.0, and characters that XML 1.0 cannot hold at all (most control
 * characters, unpaired surrogates), which a refusal may quote from a request, become U+FFFD.
 */
final class StsXml {

    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final StringBuilder out = new StringBuilder(512);
    private int depth;

    private StsXml(String root) {
        out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">\n");
        depth = 1;
    }

    /** An answer to {@code action}: the caller writes the result's elements, then {@link #finish}es it. */
    static StsXml result(String action) {
        StsXml xml = new StsXml(action + "Response");
        return xml.start(action + "Result");
    }

    /** Closes the result and the document, with the request id in its {@code ResponseMetadata}. */
    String finish(String action, String requestId) {
        end(action + "Result");
        start("ResponseMetadata").text("RequestId", requestId).end("ResponseMetadata");
        depth = 0;
        out.append("</").append(action).append("Response>\n");
        return out.toString();
    }

    /**
     * An {@code ErrorResponse}.
     *
     * @param sender whether the fault is the caller's ({@code Sender}) or ours ({@code Receiver})
     */
    static String error(boolean sender, String code, String message, String requestId) {
        StsXml xml = new StsXml("ErrorResponse");
        xml.start("Error")
                .text("Type", sender ? "Sender" : "Receiver")
                .text("Code", code)
                .text("Message", message)
                .end("Error")
                .text("RequestId", requestId);
        xml.out.append("</ErrorResponse>\n");
        return xml.out.toString();
    }

    StsXml start(String name) {
        indent().append('<').append(name).append(">\n");
        depth++;
        return this;
    }

    StsXml end(String name) {
        depth--;
        indent().append("</").append(name).append(">\n");
        return this;
    }

    /** An element holding text; nothing at all when the text is null. */
    StsXml text(String name, String text) {
        if (text != null) {
            indent().append('<').append(name).append('>');
            escape(text, out);
            out.append("</").append(name).append(">\n");
        }
        return this;
    }

    private StringBuilder indent() {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
        return out;
    }

    /** Appends {@code text} escaped as XML 1.0 character data (and attribute values). */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (allowed(c)) {
                        out.append(c);
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
        }
    }

    /** XML 1.0's {@code Char} production, for a single UTF-16 unit (surrogate pairs are handled apart). */
    private static boolean allowed(char c) {
        return c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
