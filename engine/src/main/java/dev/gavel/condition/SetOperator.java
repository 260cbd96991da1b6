package dev.gavel.condition;

/**
 * The qualifier that makes an operator compare a multivalued key as a set: every request value
 * must match ({@code ForAllValues}) or at least one must ({@code ForAnyValue}).
 */
public enum SetOperator {
    NONE(""),
    FOR_ALL_VALUES("ForAllValues"),
    FOR_ANY_VALUE("ForAnyValue");

    private final String jsonName;

    SetOperator(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The prefix before the colon, or "" for none. */
    public String jsonName() {
        return jsonName;
    }
}
