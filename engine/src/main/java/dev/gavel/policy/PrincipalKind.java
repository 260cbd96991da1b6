package dev.gavel.policy;

/** The kinds of principal a {@code Principal} map names. */
public enum PrincipalKind {
    AWS("AWS"),
    SERVICE("Service"),
    FEDERATED("Federated"),
    CANONICAL_USER("CanonicalUser");

    private final String jsonName;

    PrincipalKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The key as a policy writes it. */
    public String jsonName() {
        return jsonName;
    }

    /** The kind for an exactly spelled key, or null. */
    public static PrincipalKind fromJson(String text) {
        for (PrincipalKind kind : values()) {
            if (kind.jsonName.equals(text)) {
                return kind;
            }
        }
        return null;
    }
}
