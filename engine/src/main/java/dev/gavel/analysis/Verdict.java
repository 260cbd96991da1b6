package dev.gavel.analysis;

/** How definite an entry of a who-can answer is. */
public enum Verdict {
    /** The request is allowed with the context given: every condition that decided could be read. */
    ALLOWED("allowed");

    private final String jsonName;

    Verdict(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The word JSON and text output use. */
    public String jsonName() {
        return jsonName;
    }
}
