package dev.gavel.policy;

/**
 * A policy's {@code Version}. Policy variables are substituted only in {@code 2012-10-17}
 * policies; in the others, {@code ${...}} is literal text.
 */
public enum PolicyVersion {
    V2012_10_17("2012-10-17"),
    V2008_10_17("2008-10-17"),
    /** No Version element: AWS reads the policy as 2008-10-17. */
    ABSENT(null);

    private final String jsonName;

    PolicyVersion(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The text written in the policy, or null when absent. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether {@code ${...}} in this policy is a policy variable rather than literal text. */
    public boolean substitutesVariables() {
        return this == V2012_10_17;
    }

    /** The version for a valid Version text, or null. */
    public static PolicyVersion fromJson(String text) {
        for (PolicyVersion version : values()) {
            if (version.jsonName != null && version.jsonName.equals(text)) {
                return version;
            }
        }
        return null;
    }
}
