package dev.gavel.eval;

import dev.gavel.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Every policy that applies to one request, by the role it plays, and the resource settings that
 * change what they grant. Absent policies are null or empty lists.
 *
 * @param identityPolicies the caller's identity-based policies, its groups' included
 * @param permissionBoundary the caller's permissions boundary, or null
 * @param sessionPolicies the session's policies (an inline one and managed ones): together they
 *     bound the session, so one of them must allow
 * @param resourcePolicy the resource's policy (a role's trust policy for {@code sts:AssumeRole*}),
 *     or null
 * @param scps the service control policies of the caller's account, one list per organization
 *     level, root first; every level must allow
 * @param rcps the resource control policies of the resource's account, one list per level, root
 *     first; each level implicitly holds AWS's full-access policy, so only their denies count
 * @param endpointPolicy the policy of the VPC endpoint the request came through, or null when it
 *     did not come through one
 * @param restrictPublicBuckets whether the S3 bucket has Block Public Access's
 *     {@code RestrictPublicBuckets} on: a public bucket policy then grants nothing to anonymous
 *     callers or to other accounts
 */
public record PolicySet(
        List<Policy> identityPolicies,
        Policy permissionBoundary,
        List<Policy> sessionPolicies,
        Policy resourcePolicy,
        List<List<Policy>> scps,
        List<List<Policy>> rcps,
        Policy endpointPolicy,
        boolean restrictPublicBuckets) {

    public PolicySet {
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        sessionPolicies = sessionPolicies == null ? List.of() : List.copyOf(sessionPolicies);
        scps = scps == null ? List.of() : scps.stream().map(List::copyOf).toList();
        rcps = rcps == null ? List.of() : rcps.stream().map(List::copyOf).toList();
    }

    /** A set with no endpoint policy and no Block Public Access setting. */
    public PolicySet(List<Policy> identityPolicies, Policy permissionBoundary, List<Policy> sessionPolicies,
            Policy resourcePolicy, List<List<Policy>> scps, List<List<Policy>> rcps) {
        this(identityPolicies, permissionBoundary, sessionPolicies, resourcePolicy, scps, rcps, null, false);
    }

    /** Identity policies only, as for a user with nothing else attached. */
    public static PolicySet ofIdentity(List<Policy> identityPolicies) {
        return builder().identityPolicies(identityPolicies).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a policy set from the parts a request has; every part is optional. */
    public static final class Builder {

        private final List<Policy> identityPolicies = new ArrayList<>();
        private Policy permissionBoundary;
        private final List<Policy> sessionPolicies = new ArrayList<>();
        private Policy resourcePolicy;
        private List<List<Policy>> scps = List.of();
        private List<List<Policy>> rcps = List.of();
        private Policy endpointPolicy;
        private boolean restrictPublicBuckets;

        private Builder() {}

        public Builder identityPolicies(List<Policy> policies) {
            identityPolicies.addAll(policies);
            return this;
        }

        public Builder permissionBoundary(Policy boundary) {
            this.permissionBoundary = boundary;
            return this;
        }

        public Builder sessionPolicies(List<Policy> policies) {
            sessionPolicies.addAll(policies);
            return this;
        }

        public Builder resourcePolicy(Policy policy) {
            this.resourcePolicy = policy;
            return this;
        }

        /** The SCPs of the caller's account, one list per organization level, root first. */
        public Builder scps(List<List<Policy>> levels) {
            this.scps = levels;
            return this;
        }

        /** The RCPs of the resource's account, one list per organization level, root first. */
        public Builder rcps(List<List<Policy>> levels) {
            this.rcps = levels;
            return this;
        }

        public Builder endpointPolicy(Policy policy) {
            this.endpointPolicy = policy;
            return this;
        }

        public Builder restrictPublicBuckets(boolean on) {
            this.restrictPublicBuckets = on;
            return this;
        }

        public PolicySet build() {
            return new PolicySet(identityPolicies, permissionBoundary, sessionPolicies, resourcePolicy, scps, rcps,
                    endpointPolicy, restrictPublicBuckets);
        }
    }
}
