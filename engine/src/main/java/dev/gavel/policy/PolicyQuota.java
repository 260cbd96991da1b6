package dev.gavel.policy;

/**
 * The size quotas AWS applies to policy documents. IAM counts characters other than whitespace;
 * AWS Organizations counts every character of an SCP or RCP as saved through its API.
 * Resource-based policies have per-service quotas (a bucket policy may hold 20 KB) that Gavel
 * does not check.
 */
public enum PolicyQuota {
    MANAGED("managed", 6_144),
    USER_INLINE("user-inline", 2_048),
    GROUP_INLINE("group-inline", 5_120),
    ROLE_INLINE("role-inline", 10_240),
    TRUST("trust", 2_048),
    SESSION("session", 2_048),
    ORGANIZATIONS("organizations", 5_120) {
        @Override
        public int measure(Policy policy) {
            return policy.length();
        }
    },
    /** A VPC endpoint policy: 20,480 characters, whitespace included. */
    ENDPOINT("endpoint", 20_480) {
        @Override
        public int measure(Policy policy) {
            return policy.length();
        }
    },
    NONE("none", Integer.MAX_VALUE);

    private final String cliName;
    private final int maxCharacters;

    PolicyQuota(String cliName, int maxCharacters) {
        this.cliName = cliName;
        this.maxCharacters = maxCharacters;
    }

    public String cliName() {
        return cliName;
    }

    public int maxCharacters() {
        return maxCharacters;
    }

    /** The policy's size as this quota counts it: characters other than whitespace. */
    public int measure(Policy policy) {
        return policy.compactLength();
    }

    /** What {@link #measure} counts, for messages. */
    public String unit() {
        return this == ORGANIZATIONS || this == ENDPOINT ? "characters" : "characters other than whitespace";
    }

    /** The quota a policy of this type has when nothing more is known (managed, for identity). */
    public static PolicyQuota defaultFor(PolicyType type) {
        return switch (type) {
            case IDENTITY, BOUNDARY -> MANAGED;
            case TRUST -> TRUST;
            case SESSION -> SESSION;
            case SCP, RCP -> ORGANIZATIONS;
            case RESOURCE -> NONE;
            case ENDPOINT -> ENDPOINT;
        };
    }
}
