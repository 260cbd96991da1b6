package dev.gavel.eval;

import java.util.Objects;

/**
 * One authorization question: may {@code principal} perform {@code action} on {@code resource}?
 *
 * @param principal the caller's ARN: an IAM user, a role session
 *     ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), a federated user, a root user, or
 *     a service principal such as {@code ec2.amazonaws.com}
 * @param action {@code service:Action}
 * @param resource the resource's ARN, or {@code *} for actions that take no resource
 * @param resourceAccount the account that owns the resource; null to take it from the ARN, or
 *     the principal's account when the ARN has none (S3 buckets)
 * @param context the request's context keys
 */
public record Request(String principal, String action, String resource, String resourceAccount,
        RequestContext context) {

    public Request {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = context == null ? RequestContext.empty() : context;
    }
}
