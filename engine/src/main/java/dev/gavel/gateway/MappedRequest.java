package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
import java.util.List;
import java.util.Objects;

/**
 * What an HTTP request asks, in IAM's terms: the action, the resource it acts on, and the
 * condition keys the service fills from the request.
 *
 * @param operation the API operation's name for messages and logs, such as {@code GetObject}
 * @param action the IAM action, such as {@code s3:GetObject}
 * @param resource the resource's ARN; {@code *} for an action on no resource
 * @param context the condition keys taken from the request; never the keys Gavel fills from the
 *     principal, the resource's account or the clock
 * @param alsoRequires further actions the request needs, each on its own resource and with the
 *     same keys, such as CopyObject's read of its source: the request is allowed only when all are
 */
public record MappedRequest(String operation, String action, String resource, RequestContext context,
        List<Requirement> alsoRequires) {

    /** A further action a request needs, on its own resource. */
    public record Requirement(String action, String resource) {
        public Requirement {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(resource, "resource");
        }
    }

    public MappedRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(context, "context");
        alsoRequires = List.copyOf(alsoRequires);
    }

    /** A request that needs one action on one resource. */
    public MappedRequest(String operation, String action, String resource, RequestContext context) {
        this(operation, action, resource, context, List.of());
    }
}
