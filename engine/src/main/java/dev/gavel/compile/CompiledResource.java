package dev.gavel.compile;

import dev.gavel.eval.PublicBucketPolicy;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;

/**
 * A resource's side of a request, compiled: its resource-based policy (or a role's trust policy),
 * whether S3 deems that policy public, and whether Block Public Access's RestrictPublicBuckets
 * is on for it.
 */
final class CompiledResource {

    static final CompiledResource NONE = new CompiledResource(null, false, false);

    /** Null when the resource has no policy. */
    final PolicyGroup policy;
    final boolean publicPolicy;
    final boolean restrictPublicBuckets;

    private CompiledResource(PolicyGroup policy, boolean publicPolicy, boolean restrictPublicBuckets) {
        this.policy = policy;
        this.publicPolicy = publicPolicy;
        this.restrictPublicBuckets = restrictPublicBuckets;
    }

    static CompiledResource of(Policy policy, CompiledPolicy compiled, boolean restrictPublicBuckets) {
        if (policy == null) {
            return restrictPublicBuckets ? new CompiledResource(null, false, true) : NONE;
        }
        return new CompiledResource(new PolicyGroup(new CompiledPolicy[] {compiled}, PolicyType.RESOURCE, -1),
                PublicBucketPolicy.isPublic(policy), restrictPublicBuckets);
    }
}
