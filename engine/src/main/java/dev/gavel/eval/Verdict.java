package dev.gavel.eval;

/** An answer to a request whose context may be partly unknown: a {@link Decision}, or conditional. */
public enum Verdict {
    ALLOWED("allowed"),
    EXPLICIT_DENY("explicitDeny"),
    IMPLICIT_DENY("implicitDeny"),
    /** Allowed for some values of the unknown keys and not for others. */
    CONDITIONAL("conditional");

    private final String jsonName;

    Verdict(String jsonName) {
        this.jsonName = jsonName;
    }

    /** {@code allowed}, {@code explicitDeny}, {@code implicitDeny} or {@code conditional}. */
    public String jsonName() {
        return jsonName;
    }

    /** The verdict for its JSON name, or null. */
    public static Verdict fromJson(String name) {
        for (Verdict verdict : values()) {
            if (verdict.jsonName.equals(name)) {
                return verdict;
            }
        }
        return null;
    }

    /** The verdict that a decision is. */
    public static Verdict of(Decision decision) {
        return switch (decision) {
            case ALLOWED -> ALLOWED;
            case EXPLICIT_DENY -> EXPLICIT_DENY;
            case IMPLICIT_DENY -> IMPLICIT_DENY;
        };
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
