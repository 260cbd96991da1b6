package dev.gavel;

import dev.gavel.compile.CompiledEndpoint;
import dev.gavel.compile.Snapshot;
import dev.gavel.policy.Policy;

/**
 * A VPC endpoint's policy: requests through the endpoint must also be allowed by it, and its
 * explicit denies decide. Get one with {@link Engine#endpoint(String)}; use it with
 * {@link CheckContext#through(Endpoint)}.
 */
public final class Endpoint {

    private final Policy policy;
    private volatile CompiledEndpoint compiled;

    Endpoint(Policy policy) {
        this.policy = policy;
    }

    /** The policy compiled against the snapshot, compiled again after a reload. */
    CompiledEndpoint compiled(Snapshot snapshot) {
        CompiledEndpoint current = compiled;
        if (current == null || current.snapshot() != snapshot) {
            current = snapshot.endpoint(policy);
            compiled = current;
        }
        return current;
    }

    public Policy policy() {
        return policy;
    }
}
