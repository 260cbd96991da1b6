package dev.gavel.directory;

import dev.gavel.policy.Policy;
import java.util.List;

/**
 * An IAM role: permissions with no credentials of their own. Principals its trust policy names
 * assume it and get a session; only sessions make requests.
 *
 * @param id the role's unique id ({@code AROA...}), the first half of a session's {@code aws:userid}
 * @param maxSessionDurationSeconds the longest session it grants, 3,600 unless set (up to 43,200)
 */
public record Role(String accountId, String name, String path, String id, String arn, Policy trustPolicy,
        List<InlinePolicy> inlinePolicies, List<String> attachedPolicyArns, String permissionsBoundaryArn,
        int maxSessionDurationSeconds, List<Tag> tags) {

    /** The session length a role grants when its MaxSessionDuration is not set. */
    public static final int DEFAULT_MAX_SESSION_DURATION = 3_600;

    public Role {
        inlinePolicies = List.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
        tags = List.copyOf(tags);
    }

    /** Whether AWS created it for a service ({@code /aws-service-role/} path); SCPs do not apply to it. */
    public boolean serviceLinked() {
        return path.startsWith("/aws-service-role/");
    }
}
