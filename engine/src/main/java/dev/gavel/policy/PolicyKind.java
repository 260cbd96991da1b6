package dev.gavel.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of policy document {@code gavel validate --type} knows: a policy type and the size
 * quota it implies, or {@link #AUTO} to guess the type from the document's shape. Validating a
 * document as a kind is what {@code gavel validate} and the sidecar's {@code /v1/validate} do.
 */
public enum PolicyKind {
    AUTO(null, null),
    IDENTITY(PolicyType.IDENTITY, PolicyQuota.MANAGED),
    USER_INLINE(PolicyType.IDENTITY, PolicyQuota.USER_INLINE),
    GROUP_INLINE(PolicyType.IDENTITY, PolicyQuota.GROUP_INLINE),
    ROLE_INLINE(PolicyType.IDENTITY, PolicyQuota.ROLE_INLINE),
    RESOURCE(PolicyType.RESOURCE, PolicyQuota.NONE),
    TRUST(PolicyType.TRUST, PolicyQuota.TRUST),
    BOUNDARY(PolicyType.BOUNDARY, PolicyQuota.MANAGED),
    SESSION(PolicyType.SESSION, PolicyQuota.SESSION),
    SCP(PolicyType.SCP, PolicyQuota.ORGANIZATIONS),
    RCP(PolicyType.RCP, PolicyQuota.ORGANIZATIONS),
    ENDPOINT(PolicyType.ENDPOINT, PolicyQuota.ENDPOINT);

    private final PolicyType type;
    private final PolicyQuota quota;

    PolicyKind(PolicyType type, PolicyQuota quota) {
        this.type = type;
        this.quota = quota;
    }

    /** The policy type; null for {@link #AUTO}. */
    public PolicyType type() {
        return type;
    }

    /** The size quota; null for {@link #AUTO}. */
    public PolicyQuota quota() {
        return quota;
    }

    /** The kind for its name as {@code --type} spells it ({@code user-inline}), in any case; null if none. */
    public static PolicyKind fromName(String name) {
        for (PolicyKind kind : values()) {
            if (kind.toString().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        return null;
    }

    /**
     * Parses and validates one document as this kind, findings in source order. {@link #AUTO}
     * guesses the type with {@link #detect}; a guessed identity policy's size is checked
     * against the managed policy quota as a warning only, since AWS managed policies have none.
     *
     * @param catalog the service catalog for unknown-action warnings, or null to skip them
     */
    public List<Finding> validate(String source, String text, ServiceCatalog catalog) {
        ParseResult parsed = PolicyParser.parse(source, text);
        List<Finding> findings = new ArrayList<>(parsed.findings());
        Policy policy = parsed.policy();
        if (policy != null) {
            PolicyType policyType = type != null ? type : detect(policy);
            PolicyQuota policyQuota = quota != null ? quota : PolicyQuota.defaultFor(policyType);
            PolicyValidator.Options options = new PolicyValidator.Options(policyType, policyQuota, this != AUTO,
                    catalog);
            findings.addAll(new PolicyValidator(options).validate(policy));
        }
        findings.sort(Finding.SOURCE_ORDER);
        return findings;
    }

    /**
     * Guesses a policy's type from its shape: trust when every statement names a principal and
     * only {@code sts:} actions, resource when any statement names a principal, identity otherwise.
     */
    public static PolicyType detect(Policy policy) {
        boolean anyPrincipal = false;
        boolean trustShaped = !policy.statements().isEmpty();
        for (Statement statement : policy.statements()) {
            anyPrincipal |= statement.principal() != null;
            trustShaped &= statement.principal() != null && statement.resource() == null && statement.action() != null
                    && !statement.action().negated() && statement.action().patterns().stream()
                            .allMatch(a -> a.value().toLowerCase(Locale.ROOT).startsWith("sts:"));
        }
        if (trustShaped) {
            return PolicyType.TRUST;
        }
        return anyPrincipal ? PolicyType.RESOURCE : PolicyType.IDENTITY;
    }

    /** The name {@code --type} takes: {@code user-inline}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
