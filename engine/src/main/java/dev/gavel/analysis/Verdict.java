package dev.gavel.analysis;

/** How definite an entry of a who-can answer is. */
public enum Verdict {
    /** The request is allowed with the context given: every condition that decided could be read. */
    ALLOWED("allowed"),
    /**
     * The request is allowed for some values of the keys whose values are unknown (those the
     * question does not give and, for a role, those that differ between its sessions) and not for
     * others: the entry's condition says for which.
     */
    CONDITIONAL("conditional");

    private final String jsonName;

    Verdict(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The verdict of an analysed request that may be allowed; null for a denied one. */
    static Verdict of(dev.gavel.eval.Verdict analysed) {
        return switch (analysed) {
            case ALLOWED -> ALLOWED;
            case CONDITIONAL -> CONDITIONAL;
            default -> null;
        };
    }

    /** The word JSON and text output use. */
    public String jsonName() {
        return jsonName;
    }
}
