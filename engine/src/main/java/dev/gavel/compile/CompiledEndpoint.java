package dev.gavel.compile;

/** A VPC endpoint's policy compiled against one snapshot, for requests through the endpoint. */
public final class CompiledEndpoint {

    final PolicyGroup group;
    final Snapshot snapshot;

    CompiledEndpoint(PolicyGroup group, Snapshot snapshot) {
        this.group = group;
        this.snapshot = snapshot;
    }

    /** The snapshot it was compiled against. */
    public Snapshot snapshot() {
        return snapshot;
    }
}
