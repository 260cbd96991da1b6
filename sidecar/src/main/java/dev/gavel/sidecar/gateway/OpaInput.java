package dev.gavel.sidecar.gateway;

import dev.gavel.gateway.GatewayRequest;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonNumber;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client request an OPA-speaking gateway describes in {@code input}, in the two shapes such
 * gateways send:
 *
 * <pre>
 * OPA-Envoy (Envoy's ext_authz through OPA's Envoy plugin):
 *   input.attributes.request.http.method     required
 *   input.attributes.request.http.path       required: path and query, as sent
 *   input.attributes.request.http.query      the query, when the path has none
 *   input.attributes.request.http.host       else headers[":authority"], else headers["host"]
 *   input.attributes.request.http.scheme     else headers["x-forwarded-proto"], else "http"
 *   input.attributes.request.http.headers    {name: value}; pseudo-headers (":path"...) are skipped
 *   input.attributes.source.address.socketAddress.address   the client's address, when given
 * Kong's OPA plugin:
 *   input.request.http.method                required
 *   input.request.http.path                  required: the path, without the query
 *   input.request.http.querystring           {name: value | [values] | true}, encoded again
 *   input.request.http.host, .port           when headers has no "host" (the port unless 80/443)
 *   input.request.http.scheme                else "http"
 *   input.request.http.headers               {name: value | [values]}
 *   input.client_ip                          the client's address, when given
 * </pre>
 *
 * Everything else in {@code input} is ignored. The body is never read: a signed request's body
 * hash is the {@code x-amz-content-sha256} header. Header names match in any case.
 */
final class OpaInput {

    private OpaInput() {}

    /** The request in {@code body}, an OPA data API request body ({@code {"input": ...}}). */
    static GatewayRequest read(JsonValue body) throws OpaInputException {
        JsonObject root = object(body, "");
        JsonValue input = root.get("input");
        if (input == null) {
            throw new OpaInputException("input", "missing: the body is {\"input\": {...}}, the request as Envoy's or "
                    + "Kong's OPA integration describes it");
        }
        JsonObject in = object(input, "input");
        JsonObject attributes = optionalObject(in, "attributes", "input.attributes");
        if (attributes != null) {
            return envoy(attributes);
        }
        JsonObject request = optionalObject(in, "request", "input.request");
        if (request != null) {
            return kong(in, request);
        }
        throw new OpaInputException("input", "expected OPA-Envoy's input.attributes.request.http or Kong's "
                + "input.request.http");
    }

    private static GatewayRequest envoy(JsonObject attributes) throws OpaInputException {
        String at = "input.attributes.request.http";
        JsonObject http = requiredObject(requiredObject(attributes, "request", "input.attributes.request"), "http", at);
        String method = requiredString(http, "method", at);
        String target = requiredString(http, "path", at);
        Map<String, List<String>> headers = headers(http, at);
        String host = firstNonEmpty(optionalString(http, "host", at), first(headers, ":authority"),
                first(headers, "host"));
        String scheme = firstNonEmpty(optionalString(http, "scheme", at), first(headers, "x-forwarded-proto"), "http");
        headers.keySet().removeIf(name -> name.startsWith(":"));
        String source = null;
        JsonObject from = optionalObject(attributes, "source", "input.attributes.source");
        JsonObject address = from == null ? null : optionalObject(from, "address", "input.attributes.source.address");
        JsonObject socket = address == null ? null
                : optionalObject(address, "socketAddress", "input.attributes.source.address.socketAddress");
        if (socket != null) {
            source = optionalString(socket, "address", "input.attributes.source.address.socketAddress");
        }
        if (!target.startsWith("/")) {
            throw new OpaInputException(at + ".path", "expected the request's path and query, starting with /");
        }
        int question = target.indexOf('?');
        String query = question < 0 ? firstNonEmpty(optionalString(http, "query", at), "")
                : target.substring(question + 1);
        return request(method, scheme, host, question < 0 ? target : target.substring(0, question), query, headers,
                source);
    }

    private static GatewayRequest kong(JsonObject input, JsonObject request) throws OpaInputException {
        String at = "input.request.http";
        JsonObject http = requiredObject(request, "http", at);
        String method = requiredString(http, "method", at);
        String path = requiredString(http, "path", at);
        if (!path.startsWith("/")) {
            throw new OpaInputException(at + ".path", "expected the request's path, starting with /");
        }
        Map<String, List<String>> headers = headers(http, at);
        String scheme = firstNonEmpty(optionalString(http, "scheme", at), "http");
        String host = first(headers, "host");
        if (host == null) {
            host = optionalString(http, "host", at);
            JsonValue port = http.get("port");
            String number = port instanceof JsonString || port instanceof JsonNumber ? port.scalarText() : null;
            boolean usual = ("http".equalsIgnoreCase(scheme) && "80".equals(number))
                    || ("https".equalsIgnoreCase(scheme) && "443".equals(number));
            if (host != null && number != null && !usual) {
                host = host + ":" + number;
            }
        }
        return request(method, scheme, host, path, query(http, at), headers,
                optionalString(input, "client_ip", "input"));
    }

    private static GatewayRequest request(String method, String scheme, String host, String path, String query,
            Map<String, List<String>> headers, String source) {
        return new GatewayRequest(method.toUpperCase(Locale.ROOT), scheme.toLowerCase(Locale.ROOT), host, path, query,
                headers, source == null || source.isEmpty() ? null : source, null);
    }

    /** Kong's parsed query string, written again as a query: each name and value percent-encoded as SigV4 does. */
    private static String query(JsonObject http, String at) throws OpaInputException {
        JsonObject parameters = optionalObject(http, "querystring", at + ".querystring");
        if (parameters == null) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        for (JsonObject.Member parameter : parameters.members()) {
            String where = at + ".querystring." + parameter.name();
            List<JsonValue> values = parameter.value() instanceof JsonArray array ? array.elements()
                    : List.of(parameter.value());
            for (int i = 0; i < values.size(); i++) {
                JsonValue value = values.get(i);
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(encode(parameter.name()));
                if (value instanceof JsonBoolean flag && flag.value()) {
                    continue; // Kong's name for a parameter without a value, such as ?acl
                }
                if (!(value instanceof JsonString) && !(value instanceof JsonNumber)) {
                    throw new OpaInputException(values.size() > 1 || parameter.value() instanceof JsonArray
                            ? where + "[" + i + "]" : where, "expected a string, found " + value.typeName());
                }
                query.append('=').append(encode(value.scalarText()));
            }
        }
        return query.toString();
    }

    /** The headers by lower-case name; a value may be a string or an array of strings. */
    private static Map<String, List<String>> headers(JsonObject http, String at) throws OpaInputException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonObject given = optionalObject(http, "headers", at + ".headers");
        if (given == null) {
            return headers;
        }
        for (JsonObject.Member header : given.members()) {
            String where = at + ".headers." + header.name();
            List<String> values = headers.computeIfAbsent(header.name().toLowerCase(Locale.ROOT),
                    name -> new ArrayList<>(1));
            if (header.value() instanceof JsonString value) {
                values.add(value.value());
            } else if (header.value() instanceof JsonArray array) {
                for (int i = 0; i < array.elements().size(); i++) {
                    if (!(array.elements().get(i) instanceof JsonString value)) {
                        throw new OpaInputException(where + "[" + i + "]", "expected a string, found "
                                + array.elements().get(i).typeName());
                    }
                    values.add(value.value());
                }
            } else {
                throw new OpaInputException(where, "expected a string or an array of strings, found "
                        + header.value().typeName());
            }
        }
        return headers;
    }

    /** RFC 3986's unreserved characters as they are, every other byte of the UTF-8 as %XX. */
    private static String encode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String firstNonEmpty(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isEmpty()) {
                return candidate;
            }
        }
        return null;
    }

    private static JsonObject object(JsonValue value, String path) throws OpaInputException {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new OpaInputException(path, "expected an object, found " + value.typeName());
    }

    private static JsonObject optionalObject(JsonObject parent, String name, String path) throws OpaInputException {
        JsonValue value = parent.get(name);
        return value == null ? null : object(value, path);
    }

    private static JsonObject requiredObject(JsonObject parent, String name, String path) throws OpaInputException {
        JsonValue value = parent.get(name);
        if (value == null) {
            throw new OpaInputException(path, "missing");
        }
        return object(value, path);
    }

    private static String requiredString(JsonObject parent, String name, String at) throws OpaInputException {
        String value = optionalString(parent, name, at);
        if (value == null || value.isEmpty()) {
            throw new OpaInputException(at + "." + name, value == null ? "missing" : "empty");
        }
        return value;
    }

    private static String optionalString(JsonObject parent, String name, String at) throws OpaInputException {
        JsonValue value = parent.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.value();
        }
        throw new OpaInputException(at + "." + name, "expected a string, found " + value.typeName());
    }
}
