package dev.gavel.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as a gateway received it, before Gavel authenticates and maps it: nothing
 * decoded, nothing normalised, so that its SigV4 signature can be checked as signed.
 *
 * @param method the request method, such as {@code GET}
 * @param scheme {@code https} or {@code http}: how the client reached the gateway
 * @param host the {@code Host} (or HTTP/2 {@code :authority}) the client addressed, with any port
 * @param rawPath the path as on the wire, still percent-encoded, without the query
 * @param rawQuery the query string as on the wire, without the {@code ?}; empty for none
 * @param headers the headers by name; names match case-insensitively and a name may hold several
 *     values. The gateway's own headers ({@code Host} included) are as the client sent them.
 * @param peerAddress the address of the connection's other end (an IPv4 or IPv6 literal), or null
 *     when the gateway does not say
 * @param body the payload when the gateway passes it, else null (its hash is then taken from
 *     {@code x-amz-content-sha256})
 */
public record GatewayRequest(String method, String scheme, String host, String rawPath, String rawQuery,
        Map<String, List<String>> headers, String peerAddress, byte[] body) {

    public GatewayRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = Map.copyOf(headers);
    }

    /** Every value of the header {@code name}, whatever the case of its name, in the order given. */
    public List<String> headerValues(String name) {
        List<String> exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return List.of();
    }

    /** The first value of the header {@code name}, or null. */
    public String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The host the client addressed, in lower case and without a port; empty when none was given. */
    public String hostName() {
        String value = host != null && !host.isEmpty() ? host : header("host");
        if (value == null) {
            return "";
        }
        int colon = value.startsWith("[") ? value.indexOf("]:") + 1 : value.lastIndexOf(':');
        return (colon > 0 ? value.substring(0, colon) : value).toLowerCase(Locale.ROOT);
    }

    /** Whether the client reached the gateway over TLS. */
    public boolean secure() {
        return scheme.equalsIgnoreCase("https");
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** Method, host and path only: the query and the headers may carry credentials. */
    @Override
    public String toString() {
        return method + " " + scheme + "://" + host + rawPath;
    }
}
