package dev.gavel.json;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints: the known name nearest to a misspelt one, by edit distance. */
public final class NameHints {

    private NameHints() {}

    /**
     * The known name closest to {@code name}, ignoring case, or null when none is close enough
     * to be a likely misspelling: at most two edits, or one in five characters for longer names.
     */
    public static String closest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        int best = Math.max(2, lower.length() / 5) + 1;
        String hint = null;
        for (String candidate : known) {
            int distance = distance(candidate.toLowerCase(Locale.ROOT), lower);
            if (distance < best) {
                best = distance;
                hint = candidate;
            }
        }
        return hint;
    }

    /** Levenshtein distance between two short names. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
