package dev.gavel.sidecar.http;

import java.util.List;

/**
 * One authorization request as read from JSON, before anything is resolved.
 *
 * @param principal the principal's ARN, or null when credentials name it
 * @param accessKeyId an access key id, or null when an ARN names the principal
 * @param sessionToken the session token of a temporary access key, or null
 * @param context the request facts, in the order given
 * @param path where the request sits in the body, for error fields: empty, or {@code requests[3]}
 */
record CheckRequest(String principal, String accessKeyId, String sessionToken, String action, String resource,
        List<Fact> context, boolean explain, String path) {

    /** One context key: a single value, or {@code values} for a multivalued key. */
    record Fact(String key, String value, List<String> values) {}

    /** The same request made by another caller, as a batch's shared principal makes its items. */
    CheckRequest withCaller(String newPrincipal, String newAccessKeyId, String newSessionToken, boolean newExplain) {
        return new CheckRequest(newPrincipal, newAccessKeyId, newSessionToken, action, resource, context,
                explain || newExplain, path);
    }

    /** A path for a field of this request. */
    String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A key that names the same caller for the same credentials, for caches. */
    String callerKey() {
        return principal != null ? principal : accessKeyId + '\n' + (sessionToken == null ? "" : sessionToken);
    }
}
