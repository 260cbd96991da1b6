package dev.gavel.sidecar.gateway;

import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * The client's request as a proxy describes it to an authorization subrequest: what it asked in
 * {@code X-Original-*} headers (set by the proxy's configuration), and the client's own headers,
 * passed on as they came. The body is never passed, so that its hash is the one the client signed
 * in {@code x-amz-content-sha256}.
 */
final class OriginalRequest {

    static final String METHOD = "X-Original-Method";
    static final String URI = "X-Original-URI";
    static final String HOST = "X-Original-Host";
    /** The client's {@code Content-Length}, renamed: the subrequest has no body, so it may not declare one. */
    static final String CONTENT_LENGTH = "X-Original-Content-Length";
    static final String PROTO = "X-Forwarded-Proto";

    /** Headers that describe the subrequest, not the client's request. */
    private static final Set<String> PROXY_HEADERS = Set.of("x-original-method", "x-original-uri",
            "x-original-host", "x-original-content-length", "host", "content-length", "connection");

    private OriginalRequest() {}

    /**
     * The request the client sent.
     *
     * @throws GatewayException when the proxy's configuration does not say what the client asked
     *     ({@code InternalError}, 500: the proxy is misconfigured, not the client), or the URI
     *     cannot be read ({@code InvalidURI}, 400)
     */
    static GatewayRequest read(Request request) throws GatewayException {
        HttpFields fields = request.getHeaders();
        String uri = required(fields, URI, "$request_uri");
        String method = required(fields, METHOD, "$request_method");
        String target = originForm(uri);
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);

        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : fields) {
            String name = field.getLowerCaseName();
            if (!PROXY_HEADERS.contains(name)) {
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(field.getValue());
            }
        }
        String host = fields.get(HOST);
        if (host == null || host.isEmpty()) {
            host = fields.get("host");
        }
        if (host != null && !host.isEmpty()) {
            headers.put("host", List.of(host));
        }
        String contentLength = fields.get(CONTENT_LENGTH);
        if (contentLength != null && !contentLength.isEmpty()) {
            headers.put("content-length", List.of(contentLength));
        }
        String proto = fields.get(PROTO);
        String scheme = proto != null && proto.trim().equalsIgnoreCase("https") ? "https" : "http";
        return new GatewayRequest(method.trim().toUpperCase(Locale.ROOT), scheme, host, path, query, headers,
                peer(request), null);
    }

    private static String required(HttpFields fields, String name, String variable) throws GatewayException {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new GatewayException("InternalError", 500, "The proxy did not pass the client's request: its "
                    + "authorization location must set the " + name + " header (proxy_set_header " + name + " "
                    + variable + ")");
        }
        return value;
    }

    /** The path and query of a request target; an absolute-form target ({@code http://host/path}) loses its scheme and host. */
    private static String originForm(String uri) throws GatewayException {
        String target = uri;
        int scheme = target.indexOf("://");
        if (!target.startsWith("/") && scheme > 0) {
            int slash = target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/")) {
            throw new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI.");
        }
        return target;
    }

    /** The peer's IP address, or null for a Unix-socket peer (a proxy on the same host). */
    private static String peer(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }
}
