package dev.gavel.eval;

import dev.gavel.policy.Policy;
import java.util.List;

/**
 * Every policy that applies to one request, by the role it plays. Absent policies are null or
 * empty lists. A session may carry several session policies (an inline one and managed ones):
 * together they bound the session, so one of them must allow. {@code scps} and {@code rcps} hold
 * one list per organization level, root first; every SCP level must allow, and every RCP level
 * implicitly holds AWS's full-access policy.
 */
public record PolicySet(
        List<Policy> identityPolicies,
        Policy permissionBoundary,
        List<Policy> sessionPolicies,
        Policy resourcePolicy,
        List<List<Policy>> scps,
        List<List<Policy>> rcps) {

    public PolicySet {
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        sessionPolicies = sessionPolicies == null ? List.of() : List.copyOf(sessionPolicies);
        scps = scps == null ? List.of() : scps.stream().map(List::copyOf).toList();
        rcps = rcps == null ? List.of() : rcps.stream().map(List::copyOf).toList();
    }

    /** Identity policies only, as for a user with nothing else attached. */
    public static PolicySet ofIdentity(List<Policy> identityPolicies) {
        return new PolicySet(identityPolicies, null, List.of(), null, List.of(), List.of());
    }
}
