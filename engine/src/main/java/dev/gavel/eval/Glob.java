package dev.gavel.eval;

/**
 * The reference evaluator's wildcard matching: {@code *} matches any run of characters
 * (including none, and including {@code /} and {@code :}), {@code ?} matches one character.
 *
 * <p>A pattern is an int array so that a {@code *} that must be literal (from {@code ${*}} or
 * from a substituted variable) can be told apart from a wildcard: {@link #ANY} and {@link #ONE}
 * are wildcards, every other element is a character. This is deliberately the plainest correct
 * algorithm (greedy with one backtrack point); the compiled engine has its own matchers.
 */
final class Glob {

    static final int ANY = -1;
    static final int ONE = -2;

    private Glob() {}

    /** A pattern in which every {@code *} and {@code ?} is a wildcard. */
    static int[] compile(String pattern) {
        int[] tokens = new int[pattern.length()];
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            tokens[i] = c == '*' ? ANY : c == '?' ? ONE : c;
        }
        return tokens;
    }

    /** A pattern that matches exactly {@code text}. */
    static int[] literal(String text) {
        int[] tokens = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            tokens[i] = text.charAt(i);
        }
        return tokens;
    }

    static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(compile(pattern), text, ignoreCase);
    }

    static boolean matches(int[] pattern, String text, boolean ignoreCase) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length && pattern[p] != ANY
                    && (pattern[p] == ONE || same(pattern[p], text.charAt(t), ignoreCase))) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == ANY) {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY) {
            p++;
        }
        return p == pattern.length;
    }

    private static boolean same(int patternChar, char textChar, boolean ignoreCase) {
        if (patternChar == textChar) {
            return true;
        }
        return ignoreCase && Character.toLowerCase((char) patternChar) == Character.toLowerCase(textChar)
                || ignoreCase && Character.toUpperCase((char) patternChar) == Character.toUpperCase(textChar);
    }
}
