package dev.gavel.eval;

/** The answer to an authorization request, in the words of the AWS API. */
public enum Decision {
    ALLOWED("allowed"),
    EXPLICIT_DENY("explicitDeny"),
    IMPLICIT_DENY("implicitDeny");

    private final String jsonName;

    Decision(String jsonName) {
        this.jsonName = jsonName;
    }

    /** {@code allowed}, {@code explicitDeny} or {@code implicitDeny}. */
    public String jsonName() {
        return jsonName;
    }

    /** The decision for its JSON name, or null. */
    public static Decision fromJson(String name) {
        for (Decision decision : values()) {
            if (decision.jsonName.equals(name)) {
                return decision;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
