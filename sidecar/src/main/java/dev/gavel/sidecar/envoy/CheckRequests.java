package dev.gavel.sidecar.envoy;

import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayRequest;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the client's HTTP request out of a check request, as Envoy's HTTP ext_authz filter fills
 * it in: {@code attributes.request.http} for the request, {@code attributes.source} for the peer.
 *
 * <p>Envoy sends the request target whole in {@code path} (its {@code query} field stays empty),
 * so the path and the query are split here, both still percent-encoded as SigV4 needs them. The
 * headers come either as {@code headers}, a map whose repeated names Envoy has joined with commas
 * (as SigV4's canonical form joins them too), or, with {@code encode_raw_headers}, as
 * {@code header_map} with each value's bytes in {@code raw_value}. Envoy's HTTP/2-style
 * pseudo-headers ({@code :authority}, {@code :method}, {@code :path}...) are not request headers
 * and are dropped; Envoy turns an HTTP/1 {@code Host} into {@code :authority}, and the host it
 * names reaches the gateway as {@link GatewayRequest#host()}, from which SigV4's signed
 * {@code host} header is rebuilt.
 */
final class CheckRequests {

    /** What Envoy adds to the check request's headers when {@code with_request_body} passed only part of the body. */
    static final String PARTIAL_BODY_HEADER = "x-envoy-auth-partial-body";

    private CheckRequests() {}

    /**
     * The client's request.
     *
     * @throws GatewayException when the check request carries no HTTP request (as from Envoy's
     *     network filter) or one without a method or a path
     */
    static GatewayRequest gatewayRequest(CheckRequest check) throws GatewayException {
        AttributeContext attributes = check.getAttributes();
        if (!attributes.hasRequest() || !attributes.getRequest().hasHttp()) {
            throw malformed("it has no attributes.request.http; Gavel decides HTTP requests, sent by Envoy's "
                    + "HTTP filter envoy.filters.http.ext_authz");
        }
        AttributeContext.HttpRequest http = attributes.getRequest().getHttp();
        if (http.getMethod().isEmpty()) {
            throw malformed("its attributes.request.http.method is empty");
        }
        String target = http.getPath();
        if (target.isEmpty()) {
            throw malformed("its attributes.request.http.path is empty");
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? "" : target.substring(question + 1);

        Map<String, List<String>> headers = headers(http);
        List<String> authority = headers.get(":authority");
        String host = !http.getHost().isEmpty() ? http.getHost()
                : authority != null ? authority.get(0) : null;
        headers.keySet().removeIf(name -> name.startsWith(":"));
        String scheme = http.getScheme().isEmpty() ? "http" : http.getScheme();
        return new GatewayRequest(http.getMethod(), scheme, host, rawPath, rawQuery, headers,
                peerAddress(attributes), body(http, headers));
    }

    private static Map<String, List<String>> headers(AttributeContext.HttpRequest http) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (http.getHeaderMap().getHeadersCount() > 0) {
            for (HeaderValue header : http.getHeaderMap().getHeadersList()) {
                String value = header.getRawValue().isEmpty() ? header.getValue() : header.getRawValue().toStringUtf8();
                headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                        .add(value);
            }
        } else {
            http.getHeadersMap().forEach((name, value) -> headers
                    .computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>(1)).add(value));
        }
        return headers;
    }

    /** The peer's IP address, or null when Envoy names none (a client on a Unix socket, say). */
    private static String peerAddress(AttributeContext attributes) {
        Address address = attributes.getSource().getAddress();
        if (!address.hasSocketAddress() || address.getSocketAddress().getAddress().isEmpty()) {
            return null;
        }
        return address.getSocketAddress().getAddress();
    }

    /**
     * The body Envoy passed ({@code raw_body} with {@code pack_as_bytes}, else {@code body}'s bytes
     * as sent), or null when it passed none or only part of it: a part hashes to nothing the client
     * signed, and the gateway then takes the payload's hash from {@code x-amz-content-sha256}.
     */
    private static byte[] body(AttributeContext.HttpRequest http, Map<String, List<String>> headers) {
        List<String> partial = headers.get(PARTIAL_BODY_HEADER);
        if (partial != null && partial.contains("true")) {
            return null;
        }
        if (!http.getRawBody().isEmpty()) {
            return http.getRawBody().toByteArray();
        }
        // getBodyBytes, not getBody: the string field's bytes exactly as Envoy wrote them.
        return http.getBodyBytes().isEmpty() ? null : http.getBodyBytes().toByteArray();
    }

    private static GatewayException malformed(String what) {
        return new GatewayException("AccessDenied", 403, "Access Denied: the check request from Envoy cannot be "
                + "decided: " + what);
    }
}
