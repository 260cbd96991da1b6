package dev.gavel.sidecar.gateway;

import dev.gavel.gateway.GatewayDecision;
import dev.gavel.report.DecisionIds;

/**
 * Refusals the front ends make themselves, before the gateway is asked (a proxy that does not say
 * what the client asked), and a decision's refusal as header values, which carry ASCII only.
 */
final class Refusals {

    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private Refusals() {}

    /** A refusal of a request the gateway was never asked about; fails closed, with its own decision id. */
    static GatewayDecision refused(int status, String code, String message, String path) {
        return new GatewayDecision(false, status, code, message, null, null, null, DecisionIds.next(), 0,
                path);
    }

    /**
     * The refusal's AWS XML error body on one line, in ASCII: newlines, tabs and characters past
     * ASCII inside the elements become character references, so that a proxy can send it on as is.
     */
    static String errorXmlHeader(GatewayDecision decision) {
        String xml = decision.errorXml();
        String root = xml.substring(xml.indexOf("<Error>")).stripTrailing();
        StringBuilder line = new StringBuilder(XML_DECLARATION.length() + root.length()).append(XML_DECLARATION);
        root.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                line.append((char) c);
            } else {
                line.append("&#x").append(Integer.toHexString(c)).append(';');
            }
        });
        return line.toString();
    }

    /** A text as a header value: ASCII, control characters and characters past ASCII as {@code ?}. */
    static String headerText(String text) {
        StringBuilder value = new StringBuilder(text.length());
        text.codePoints().forEach(c -> value.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return value.toString();
    }
}
