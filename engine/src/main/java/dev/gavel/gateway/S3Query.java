package dev.gavel.gateway;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An S3 request's query parameters, decoded: the subresource that selects the operation
 * ({@code ?acl}, {@code ?uploads}...) and the parameters the operation reads ({@code prefix},
 * {@code versionId}...). A presigned URL's own {@code X-Amz-*} parameters are left out.
 */
final class S3Query {

    /** The query parameters of a presigned URL, which say how it was signed and ask nothing. */
    private static final Set<String> PRESIGNING = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");

    private final Map<String, String> parameters;

    private S3Query(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /**
     * Decodes a raw query string. A name given twice is refused, since S3 and Gavel could then
     * read different values.
     */
    static S3Query parse(String rawQuery) throws GatewayException {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (UriParts.Pair pair : UriParts.pairs(rawQuery)) {
            if (pair.malformed()) {
                throw new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI: the query "
                        + "parameter '" + pair.raw() + "' is not valid percent-encoded UTF-8.");
            }
            if (PRESIGNING.contains(pair.name())) {
                continue;
            }
            if (parameters.putIfAbsent(pair.name(), pair.value()) != null) {
                throw new GatewayException("InvalidArgument", 400, "The query parameter '" + pair.name()
                        + "' is given more than once.");
            }
        }
        return new S3Query(parameters);
    }

    /** The parameter's decoded value ({@code ""} for {@code ?acl}), or null when absent. */
    String get(String name) {
        return parameters.get(name);
    }

    boolean has(String name) {
        return parameters.containsKey(name);
    }

    /** Every parameter by name, in the order given. */
    Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }
}
