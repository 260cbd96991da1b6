package dev.gavel.match;

/**
 * Matches text against an IAM wildcard pattern, where {@code *} stands for any run of characters
 * and {@code ?} for exactly one. Runs in O(pattern × text) time at worst, without recursion, so
 * that no pattern can make it slow or deep.
 */
public final class Wildcard {

    private Wildcard() {}

    /** Whether the pattern has a wildcard at all. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = -1;
        int patternLength = pattern.length();
        int textLength = text.length();
        while (t < textLength) {
            if (p < patternLength) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    star = p++;
                    resume = t;
                    continue;
                }
                if (pc == '?' || same(pc, text.charAt(t), ignoreCase)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (star < 0) {
                return false;
            }
            p = star + 1;
            t = ++resume;
        }
        while (p < patternLength && pattern.charAt(p) == '*') {
            p++;
        }
        return p == patternLength;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
