package dev.gavel.gateway;

import dev.gavel.eval.Decision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a gateway does with one HTTP request: pass it to the backend with headers naming the
 * caller, or refuse it with AWS's status and XML error body.
 *
 * @param allowed whether the request goes through
 * @param status 200 when allowed; else the refusal's HTTP status (403 for a denied request)
 * @param errorCode AWS's error code of a refusal, such as {@code AccessDenied}; null when allowed
 * @param message the refusal's message in AWS's words; null when allowed
 * @param principal the caller's ARN, {@code anonymous} for an unsigned request, or null when the
 *     request was refused before its caller was known
 * @param mapped what the request asks, or null when it was refused before it was mapped
 * @param decision the engine's decision, or null when the request was refused before deciding
 * @param decisionId the id that names this decision in logs, headers and error bodies
 * @param version the snapshot version the decision was made on; 0 when none was
 * @param path the request's path, for the error body's {@code Resource}
 */
public record GatewayDecision(boolean allowed, int status, String errorCode, String message, String principal,
        MappedRequest mapped, Decision decision, String decisionId, long version, String path) {

    /** The header naming the caller to the backend. */
    public static final String PRINCIPAL_HEADER = "x-gavel-principal";
    /** The header carrying the decision id, on passes and refusals alike. */
    public static final String DECISION_ID_HEADER = "x-gavel-decision-id";

    /**
     * The headers to send on: for an allowed request, to the backend ({@code x-gavel-principal},
     * {@code x-gavel-decision-id}); for a refusal, to the client (the decision id, also as
     * {@code x-amz-request-id}, which AWS's SDKs report).
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (allowed) {
            headers.put(PRINCIPAL_HEADER, principal);
        } else {
            headers.put("x-amz-request-id", decisionId);
        }
        headers.put(DECISION_ID_HEADER, decisionId);
        return headers;
    }

    /** A refusal's body as AWS's REST services write it: {@code <Error>} with code, message, resource, request id. */
    public String errorXml() {
        if (allowed) {
            throw new IllegalStateException("an allowed request has no error body");
        }
        StringBuilder xml = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        element(xml, "Code", errorCode);
        element(xml, "Message", message);
        if (path != null) {
            element(xml, "Resource", path);
        }
        element(xml, "RequestId", decisionId);
        return xml.append("</Error>\n").toString();
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        xml.append('?'); // XML 1.0 has no way to write these
                    } else {
                        xml.append(c);
                    }
                }
            }
        }
        xml.append("</").append(name).append('>');
    }
}
