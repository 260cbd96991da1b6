package dev.gavel.sts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as it arrived, for {@link SigV4Verifier}: nothing decoded, nothing normalised.
 *
 * @param method the request method, such as {@code GET}
 * @param rawPath the path as on the wire, still percent-encoded, without the query
 * @param rawQuery the query string as on the wire, without the {@code ?}; null or empty for none
 * @param headers the headers by name as given; names match case-insensitively, and a name may
 *     hold several values
 * @param body the payload; null when it is not at hand (streamed) and {@code x-amz-content-sha256}
 *     carries its hash, and otherwise read as empty
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        rawPath = rawPath == null ? "" : rawPath;
        rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(Objects.requireNonNull(name, "header name"), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? null : body.clone();
    }

    /** Every value of the header {@code name}, whatever the case of its name, in the order given. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>(1);
        headers.forEach((given, list) -> {
            if (given.equalsIgnoreCase(name)) {
                values.addAll(list);
            }
        });
        return values;
    }

    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedRequest that && method.equals(that.method) && rawPath.equals(that.rawPath)
                && rawQuery.equals(that.rawQuery) && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, rawPath, rawQuery, headers) * 31 + Arrays.hashCode(body);
    }

    /** Method, path and header names only: the query and the headers may carry a session token. */
    @Override
    public String toString() {
        return "SignedRequest[" + method + " " + rawPath + ", headers " + headers.keySet() + "]";
    }
}
