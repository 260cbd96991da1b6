package dev.gavel.sidecar.gateway;

import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayDecision;
import dev.gavel.gateway.GatewayException;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * NGINX's {@code auth_request} endpoint, mounted on the HTTP API ({@link
 * dev.gavel.sidecar.http.HttpApi#mount}): NGINX asks it about each client request before passing
 * the request to the backend, and {@code scripts/nginx-gavel.conf} is the configuration it
 * expects.
 *
 * <p>The request is read from the subrequest's headers: {@code X-Original-Method},
 * {@code X-Original-URI} (path and query as the client sent them), {@code X-Original-Host} (else
 * {@code Host}), {@code X-Original-Content-Length}, {@code X-Forwarded-Proto}, and every header
 * of the client's, which NGINX passes on ({@code Authorization} and {@code x-amz-*} carry the
 * signature). The client's address is in the header {@link dev.gavel.gateway.GatewayOptions#forwardedFor()}
 * names, believed from a Unix-socket peer or a trusted proxy.
 *
 * <p>An allowed request is answered 200 with {@code x-gavel-principal} and
 * {@code x-gavel-decision-id}, for {@code auth_request_set}. NGINX's {@code auth_request} takes
 * only 2xx, 401 and 403 (any other status becomes its own 500), so every refusal is answered 403
 * and carries the refusal AWS's clients expect in headers: the status ({@code x-gavel-status}),
 * the code, the message and the whole XML error body on one line ({@code x-gavel-error-xml}), with
 * the decision id also as {@code x-amz-request-id}; the configuration's error location answers the
 * client with them. (401 would serve no client better: S3 never answers it, and the real status
 * travels in {@code x-gavel-status}.) A subrequest that does not say which request it is about is
 * refused with {@code InternalError}, 500: the proxy is misconfigured, and nothing passes.
 */
public final class NginxAuthRequest implements Request.Handler {

    /** Where the NGINX configuration's {@code auth_request} location sends its subrequests. */
    public static final String PATH = "/v1/gateway/nginx-auth";
    /** The HTTP status a refusal has for the client, such as {@code 403} or {@code 400}. */
    public static final String STATUS_HEADER = "x-gavel-status";
    /** A refusal's AWS error code, such as {@code AccessDenied}. */
    public static final String ERROR_CODE_HEADER = "x-gavel-error-code";
    /** A refusal's message, in ASCII. */
    public static final String ERROR_MESSAGE_HEADER = "x-gavel-error-message";
    /** A refusal's AWS XML error body, on one line, in ASCII. */
    public static final String ERROR_XML_HEADER = "x-gavel-error-xml";

    private final Gateway gateway;

    public NginxAuthRequest(Gateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        GatewayDecision decision;
        try {
            decision = gateway.decide(OriginalRequest.read(request));
        } catch (GatewayException e) {
            decision = Refusals.refused(e.status(), e.code(), e.getMessage(),
                    request.getHeaders().get(OriginalRequest.URI));
        }
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, String> header : decision.headers().entrySet()) {
            headers.put(header.getKey(), Refusals.headerText(header.getValue()));
        }
        if (decision.allowed()) {
            response.setStatus(200);
        } else {
            response.setStatus(403);
            headers.put(STATUS_HEADER, Integer.toString(decision.status()));
            headers.put(ERROR_CODE_HEADER, decision.errorCode());
            headers.put(ERROR_MESSAGE_HEADER, Refusals.headerText(decision.message()));
            headers.put(ERROR_XML_HEADER, Refusals.errorXmlHeader(decision));
        }
        headers.put(HttpHeader.CONTENT_LENGTH, "0");
        response.write(true, null, callback);
        return true;
    }
}
