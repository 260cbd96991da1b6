package dev.gavel.analysis;

import java.util.List;

/**
 * The access level AWS's Service Authorization Reference gives an action (List, Read, Write,
 * Permissions management, Tagging), as what-can groups actions by. The service catalog Gavel
 * reads names actions without their levels, so {@link #of} infers the level from the action's
 * verb: {@code List*} is List, {@code Get*} and {@code Describe*} are Read, {@code TagResource}
 * is Tagging, a verb on a policy or permission is Permissions management, and any other verb is
 * Write. The inference is the reference's rule for most actions, not for all: output marks it.
 */
public enum AccessLevel {
    LIST("List"),
    READ("Read"),
    WRITE("Write"),
    PERMISSIONS_MANAGEMENT("Permissions management"),
    TAGGING("Tagging");

    private static final List<String> READ_VERBS = List.of("Get", "Describe", "Read", "View", "Search", "Query",
            "Select", "Download", "Lookup", "Scan", "BatchGet", "Check", "Validate", "Preview", "Retrieve",
            "Evaluate", "Detect", "Verify", "Estimate", "Simulate", "Receive", "Filter", "Head");
    private static final List<String> PERMISSION_WORDS = List.of("Policy", "Policies", "Permission", "Acl",
            "AccessControl", "Grant", "Trust");

    private final String label;

    AccessLevel(String label) {
        this.label = label;
    }

    /** The reference's name for the level, as output shows it. */
    public String label() {
        return label;
    }

    /** The level inferred from an action's name ({@code s3:GetObject} or {@code GetObject}). */
    public static AccessLevel of(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        if (name.startsWith("Tag") || name.startsWith("Untag")) {
            return TAGGING;
        }
        if (name.startsWith("List")) {
            return LIST;
        }
        boolean mutating = !startsWithAny(name, READ_VERBS);
        if (mutating && containsAny(name, PERMISSION_WORDS)) {
            return PERMISSIONS_MANAGEMENT;
        }
        return mutating ? WRITE : READ;
    }

    private static boolean startsWithAny(String name, List<String> verbs) {
        for (String verb : verbs) {
            if (name.startsWith(verb) && (name.length() == verb.length()
                    || !Character.isLowerCase(name.charAt(verb.length())))) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String name, List<String> words) {
        for (String word : words) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
