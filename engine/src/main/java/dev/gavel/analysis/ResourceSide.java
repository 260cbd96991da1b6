package dev.gavel.analysis;

import dev.gavel.directory.Directory;
import dev.gavel.directory.Organization;
import dev.gavel.directory.ResourcePolicy;
import dev.gavel.directory.Role;
import dev.gavel.eval.TrustActions;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy on the resource's side of a request, as the engine finds it: for the STS actions a
 * trust policy governs, the trust policy of the role the resource names; otherwise the
 * resource's own policy (an S3 object's is its bucket's). Null when there is none.
 */
final class ResourceSide {

    private ResourceSide() {}

    static Policy policy(Directory directory, String action, String resource) {
        if (TrustActions.contains(action)) {
            Role role = directory.role(resource);
            return role == null ? null : role.trustPolicy();
        }
        ResourcePolicy attached = directory.resourcePolicy(resource);
        return attached == null ? null : attached.policy();
    }

    /** The resource's side of a request: its policy (or trust policy), then the RCPs of the account that owns it. */
    static List<Policy> policies(Directory directory, Policy resourcePolicy, String account) {
        List<Policy> policies = new ArrayList<>();
        if (resourcePolicy != null) {
            policies.add(resourcePolicy);
        }
        rcpLevels(directory, account).forEach(policies::addAll);
        return policies;
    }

    /** The RCPs of an account, one list per organization level, root first; empty without an organization. */
    static List<List<Policy>> rcpLevels(Directory directory, String account) {
        Organization organization = directory.organization();
        return organization == null ? List.of() : organization.rcpLevels(account);
    }

    /** Whether some Allow statement of the policy covers the action, whatever its resource and principal. */
    static boolean mayGrant(Policy policy, String action) {
        if (policy == null) {
            return false;
        }
        for (Statement statement : policy.statements()) {
            if (statement.effect() != Effect.DENY && covers(statement.action(), action)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an Action or NotAction element covers the action; an absent one covers nothing. */
    static boolean covers(PatternElement element, String action) {
        if (element == null) {
            return false;
        }
        for (PolicyString pattern : element.patterns()) {
            if (Wildcard.matches(pattern.value(), action, true)) {
                return !element.negated();
            }
        }
        return element.negated();
    }
}
