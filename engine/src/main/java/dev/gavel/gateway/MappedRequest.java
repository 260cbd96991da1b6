package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
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
 */
public record MappedRequest(String operation, String action, String resource, RequestContext context) {

    public MappedRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(context, "context");
    }
}
