package dev.gavel.sts;

/**
 * An AWS service assuming a service role on a customer's behalf. {@code sourceAccount} and
 * {@code sourceArn} are the resource the service acts for, which trust policies test against
 * the confused deputy ({@code aws:SourceAccount}, {@code aws:SourceArn}).
 */
public record ServiceRoleRequest(String servicePrincipal, String roleArn, String roleSessionName,
        String sourceAccount, String sourceArn, Integer durationSeconds) {}
