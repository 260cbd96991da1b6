package dev.gavel.analysis;

/** What a resource or trust policy names when it names a principal the directory does not hold. */
public enum OutsideKind {
    /** An account: any of its principals its own identity policies allow. */
    ACCOUNT("account"),
    USER("user"),
    ROLE("role"),
    ROLE_SESSION("roleSession"),
    /** An AWS service, such as {@code sns.amazonaws.com}. */
    SERVICE("service"),
    /** An identity provider: its users' web identity or SAML sessions. */
    FEDERATED("federated"),
    CANONICAL_USER("canonicalUser"),
    /** {@code "*"}: every caller, anonymous ones included. */
    EVERYONE("everyone");

    private final String jsonName;

    OutsideKind(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
