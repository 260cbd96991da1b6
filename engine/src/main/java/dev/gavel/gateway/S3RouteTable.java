package dev.gavel.gateway;

import static dev.gavel.gateway.S3Operation.*;

import dev.gavel.gateway.S3Operation.Scope;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which operation an S3 REST request is: its method, whether it addresses the service, a bucket
 * or an object, the subresource named in its query ({@code ?acl}, {@code ?uploads}...), and
 * whether it names a version ({@code versionId}) or a copy source ({@code x-amz-copy-source}).
 *
 * <p>Fails closed: a query parameter that is neither a subresource this table maps nor a
 * parameter S3 operations read is refused, so that an operation Gavel does not know is never
 * taken for one it does (an unknown {@code ?subresource} on a GET is not a {@code GetObject}).
 */
final class S3RouteTable {

    /**
     * The operations one method, scope and subresource select: plain, on a version, as a copy,
     * and, for a bucket's numbered configurations ({@code ?analytics}...), without an {@code id}.
     */
    private record Route(S3Operation plain, S3Operation version, S3Operation copy, S3Operation withoutId) {

        Route(S3Operation plain, S3Operation version, S3Operation copy) {
            this(plain, version, copy, null);
        }
    }

    /**
     * Query parameters that are arguments of the operation rather than its selector: listing
     * and paging, versions and parts, response overrides, configuration ids, and the operation
     * name some SDKs add.
     */
    private static final Set<String> PARAMETERS = Set.of("versionId", "partNumber", "prefix", "delimiter", "max-keys",
            "marker", "list-type", "continuation-token", "start-after", "fetch-owner", "encoding-type", "key-marker",
            "version-id-marker", "upload-id-marker", "max-uploads", "max-parts", "part-number-marker", "id",
            "max-buckets", "bucket-region", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
            "x-id");

    private static final Map<String, Route> ROUTES = new HashMap<>();
    private static final Set<String> SUBRESOURCES = new TreeSet<>();
    /** The bucket configurations named by {@code id}, of which a bucket has several. */
    private static final Set<String> NUMBERED_CONFIGURATIONS = new HashSet<>();

    static {
        route("GET", Scope.SERVICE, "", LIST_BUCKETS);

        route("PUT", Scope.BUCKET, "", CREATE_BUCKET);
        route("DELETE", Scope.BUCKET, "", DELETE_BUCKET);
        route("HEAD", Scope.BUCKET, "", HEAD_BUCKET);
        route("GET", Scope.BUCKET, "", LIST_OBJECTS);
        route("GET", Scope.BUCKET, "versions", LIST_OBJECT_VERSIONS);
        route("GET", Scope.BUCKET, "uploads", LIST_MULTIPART_UPLOADS);
        route("GET", Scope.BUCKET, "location", GET_BUCKET_LOCATION);
        bucketConfiguration("acl", GET_BUCKET_ACL, PUT_BUCKET_ACL, null);
        bucketConfiguration("policy", GET_BUCKET_POLICY, PUT_BUCKET_POLICY, DELETE_BUCKET_POLICY);
        route("GET", Scope.BUCKET, "policyStatus", GET_BUCKET_POLICY_STATUS);
        bucketConfiguration("tagging", GET_BUCKET_TAGGING, PUT_BUCKET_TAGGING, DELETE_BUCKET_TAGGING);
        bucketConfiguration("versioning", GET_BUCKET_VERSIONING, PUT_BUCKET_VERSIONING, null);
        bucketConfiguration("cors", GET_BUCKET_CORS, PUT_BUCKET_CORS, DELETE_BUCKET_CORS);
        bucketConfiguration("lifecycle", GET_BUCKET_LIFECYCLE, PUT_BUCKET_LIFECYCLE, DELETE_BUCKET_LIFECYCLE);
        bucketConfiguration("encryption", GET_BUCKET_ENCRYPTION, PUT_BUCKET_ENCRYPTION, DELETE_BUCKET_ENCRYPTION);
        bucketConfiguration("website", GET_BUCKET_WEBSITE, PUT_BUCKET_WEBSITE, DELETE_BUCKET_WEBSITE);
        bucketConfiguration("publicAccessBlock", GET_PUBLIC_ACCESS_BLOCK, PUT_PUBLIC_ACCESS_BLOCK,
                DELETE_PUBLIC_ACCESS_BLOCK);
        bucketConfiguration("ownershipControls", GET_BUCKET_OWNERSHIP_CONTROLS, PUT_BUCKET_OWNERSHIP_CONTROLS,
                DELETE_BUCKET_OWNERSHIP_CONTROLS);
        bucketConfiguration("notification", GET_BUCKET_NOTIFICATION, PUT_BUCKET_NOTIFICATION, null);
        bucketConfiguration("logging", GET_BUCKET_LOGGING, PUT_BUCKET_LOGGING, null);
        bucketConfiguration("object-lock", GET_OBJECT_LOCK_CONFIGURATION, PUT_OBJECT_LOCK_CONFIGURATION, null);
        bucketConfiguration("accelerate", GET_BUCKET_ACCELERATE, PUT_BUCKET_ACCELERATE, null);
        bucketConfiguration("requestPayment", GET_BUCKET_REQUEST_PAYMENT, PUT_BUCKET_REQUEST_PAYMENT, null);
        bucketConfiguration("replication", GET_BUCKET_REPLICATION, PUT_BUCKET_REPLICATION, DELETE_BUCKET_REPLICATION);
        numberedConfiguration("analytics", LIST_BUCKET_ANALYTICS, GET_BUCKET_ANALYTICS, PUT_BUCKET_ANALYTICS,
                DELETE_BUCKET_ANALYTICS);
        numberedConfiguration("inventory", LIST_BUCKET_INVENTORY, GET_BUCKET_INVENTORY, PUT_BUCKET_INVENTORY,
                DELETE_BUCKET_INVENTORY);
        numberedConfiguration("metrics", LIST_BUCKET_METRICS, GET_BUCKET_METRICS, PUT_BUCKET_METRICS,
                DELETE_BUCKET_METRICS);
        numberedConfiguration("intelligent-tiering", LIST_BUCKET_INTELLIGENT_TIERING, GET_BUCKET_INTELLIGENT_TIERING,
                PUT_BUCKET_INTELLIGENT_TIERING, DELETE_BUCKET_INTELLIGENT_TIERING);

        route("GET", Scope.OBJECT, "", new Route(GET_OBJECT, GET_OBJECT_VERSION, null));
        route("HEAD", Scope.OBJECT, "", new Route(HEAD_OBJECT, HEAD_OBJECT_VERSION, null));
        route("PUT", Scope.OBJECT, "", new Route(PUT_OBJECT, null, COPY_OBJECT));
        route("DELETE", Scope.OBJECT, "", new Route(DELETE_OBJECT, DELETE_OBJECT_VERSION, null));
        route("POST", Scope.OBJECT, "uploads", CREATE_MULTIPART_UPLOAD);
        route("PUT", Scope.OBJECT, "uploadId", new Route(UPLOAD_PART, null, UPLOAD_PART_COPY));
        route("POST", Scope.OBJECT, "uploadId", COMPLETE_MULTIPART_UPLOAD);
        route("DELETE", Scope.OBJECT, "uploadId", ABORT_MULTIPART_UPLOAD);
        route("GET", Scope.OBJECT, "uploadId", LIST_PARTS);
        route("GET", Scope.OBJECT, "acl", new Route(GET_OBJECT_ACL, GET_OBJECT_VERSION_ACL, null));
        route("PUT", Scope.OBJECT, "acl", new Route(PUT_OBJECT_ACL, PUT_OBJECT_VERSION_ACL, null));
        route("GET", Scope.OBJECT, "tagging", new Route(GET_OBJECT_TAGGING, GET_OBJECT_VERSION_TAGGING, null));
        route("PUT", Scope.OBJECT, "tagging", new Route(PUT_OBJECT_TAGGING, PUT_OBJECT_VERSION_TAGGING, null));
        route("DELETE", Scope.OBJECT, "tagging",
                new Route(DELETE_OBJECT_TAGGING, DELETE_OBJECT_VERSION_TAGGING, null));
        route("GET", Scope.OBJECT, "attributes",
                new Route(GET_OBJECT_ATTRIBUTES, GET_OBJECT_VERSION_ATTRIBUTES, null));
        route("GET", Scope.OBJECT, "torrent", new Route(GET_OBJECT_TORRENT, GET_OBJECT_VERSION_TORRENT, null));
        route("GET", Scope.OBJECT, "retention", GET_OBJECT_RETENTION);
        route("PUT", Scope.OBJECT, "retention", PUT_OBJECT_RETENTION);
        route("GET", Scope.OBJECT, "legal-hold", GET_OBJECT_LEGAL_HOLD);
        route("PUT", Scope.OBJECT, "legal-hold", PUT_OBJECT_LEGAL_HOLD);
        route("POST", Scope.OBJECT, "restore", RESTORE_OBJECT);
    }

    private S3RouteTable() {}

    private static void bucketConfiguration(String subresource, S3Operation get, S3Operation put,
            S3Operation delete) {
        route("GET", Scope.BUCKET, subresource, get);
        route("PUT", Scope.BUCKET, subresource, put);
        if (delete != null) {
            route("DELETE", Scope.BUCKET, subresource, delete);
        }
    }

    /** A bucket configuration of which a bucket has several, each named by {@code id}; a GET without one lists them. */
    private static void numberedConfiguration(String subresource, S3Operation list, S3Operation get, S3Operation put,
            S3Operation delete) {
        route("GET", Scope.BUCKET, subresource, new Route(get, null, null, list));
        route("PUT", Scope.BUCKET, subresource, put);
        route("DELETE", Scope.BUCKET, subresource, delete);
        NUMBERED_CONFIGURATIONS.add(subresource);
    }

    private static void route(String method, Scope scope, String subresource, S3Operation operation) {
        route(method, scope, subresource, new Route(operation, null, null));
    }

    private static void route(String method, Scope scope, String subresource, Route route) {
        if (ROUTES.put(key(method, scope, subresource), route) != null) {
            throw new IllegalStateException("two routes for " + key(method, scope, subresource));
        }
        if (!subresource.isEmpty()) {
            SUBRESOURCES.add(subresource);
        }
    }

    private static String key(String method, Scope scope, String subresource) {
        return method + " " + scope + " " + subresource;
    }

    /** Every operation some request maps to. */
    static Set<S3Operation> operations() {
        Set<S3Operation> operations = new LinkedHashSet<>();
        for (Route route : ROUTES.values()) {
            for (S3Operation operation : new S3Operation[] {route.plain(), route.version(), route.copy(),
                    route.withoutId()}) {
                if (operation != null) {
                    operations.add(operation);
                }
            }
        }
        operations.add(LIST_OBJECTS_V2);
        return operations;
    }

    /** The operation a request is. */
    static S3Operation find(GatewayRequest request, S3Address address, S3Query query) throws GatewayException {
        String method = request.method().toUpperCase(Locale.ROOT);
        Scope scope = address.bucket() == null ? Scope.SERVICE : address.key().isEmpty() ? Scope.BUCKET : Scope.OBJECT;
        String subresource = subresource(query);
        Route route = ROUTES.get(key(method, scope, subresource));
        if (route == null) {
            throw unmapped(method, scope, subresource);
        }
        if (subresource.equals("uploadId") && method.equals("PUT") && !query.has("partNumber")) {
            throw new GatewayException("InvalidArgument", 400, "An upload with ?uploadId needs a partNumber.");
        }
        S3Operation operation = route.plain();
        if (NUMBERED_CONFIGURATIONS.contains(subresource) && !query.has("id")) {
            if (route.withoutId() == null) {
                throw new GatewayException("InvalidArgument", 400, method + " ?" + subresource + " needs the id of "
                        + "the configuration.");
            }
            operation = route.withoutId();
        } else if (route.version() != null && query.has("versionId")) {
            operation = route.version();
        } else if (route.copy() != null && request.header("x-amz-copy-source") != null) {
            operation = route.copy();
        }
        if (operation == LIST_OBJECTS && query.has("list-type")) {
            if (!query.get("list-type").equals("2")) {
                throw new GatewayException("InvalidArgument", 400, "Invalid list type: list-type is 2 (ListObjectsV2) "
                        + "or absent (ListObjects), not '" + query.get("list-type") + "'.");
            }
            operation = LIST_OBJECTS_V2;
        }
        return operation;
    }

    /** The one subresource a query names, or {@code ""}; an unknown parameter or two subresources are refused. */
    private static String subresource(S3Query query) throws GatewayException {
        String subresource = "";
        for (String name : query.parameters().keySet()) {
            if (PARAMETERS.contains(name)) {
                continue;
            }
            if (!SUBRESOURCES.contains(name)) {
                throw new GatewayException("NotImplemented", 501, "Gavel's S3 mapping does not know the query "
                        + "parameter '" + name + "'" + refusedBecause(name) + "; it maps the subresources "
                        + SUBRESOURCES + ".");
            }
            if (!subresource.isEmpty()) {
                throw new GatewayException("NotImplemented", 501, "A request names one subresource at most; this "
                        + "one names '" + subresource + "' and '" + name + "'.");
            }
            subresource = name;
        }
        return subresource;
    }

    private static String refusedBecause(String name) {
        return switch (name) {
            case "delete" -> " (DeleteObjects): its keys are in the request body, and Gavel decides one object "
                    + "per request, so it refuses the batch rather than decide it on the bucket; delete the "
                    + "objects one by one with DeleteObject";
            case "select", "select-type" -> " (SelectObjectContent)";
            default -> "";
        };
    }

    private static GatewayException unmapped(String method, Scope scope, String subresource) {
        String on = switch (scope) {
            case SERVICE -> "the service (no bucket)";
            case BUCKET -> "a bucket";
            case OBJECT -> "an object";
        };
        String what = subresource.isEmpty() ? "" : " with ?" + subresource;
        String hint = method.equals("POST") && scope == Scope.BUCKET && subresource.isEmpty()
                ? ": POST Object (a browser form upload) carries its key and policy in the form, which Gavel does "
                        + "not read" : "";
        return new GatewayException("NotImplemented", 501, "Gavel's S3 mapping has no operation for " + method
                + " on " + on + what + hint + ".");
    }
}
