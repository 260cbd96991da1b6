package dev.gavel.match;

/**
 * Matching for patterns whose wildcards and literal characters are told apart per position: a
 * pattern is a run of ints, {@link #ANY} and {@link #ONE} for wildcards and character codes for
 * everything else. This is the form a pattern takes once policy variables are substituted into
 * it, since a {@code *} in a variable's value is literal. Nothing here allocates.
 */
public final class Tokens {

    /** A {@code *} wildcard. */
    public static final int ANY = -1;
    /** A {@code ?} wildcard. */
    public static final int ONE = -2;

    private Tokens() {}

    /** Whether {@code text[from, to)} matches {@code pattern[pFrom, pTo)}. */
    public static boolean glob(int[] pattern, int pFrom, int pTo, String text, int from, int to,
            boolean ignoreCase) {
        int p = pFrom;
        int t = from;
        int star = -1;
        int resume = -1;
        while (t < to) {
            if (p < pTo) {
                int pc = pattern[p];
                if (pc == ANY) {
                    star = p++;
                    resume = t;
                    continue;
                }
                if (pc == ONE || TextPattern.same((char) pc, text.charAt(t), ignoreCase)) {
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
        while (p < pTo && pattern[p] == ANY) {
            p++;
        }
        return p == pTo;
    }

    /**
     * A {@code Resource} pattern against an ARN, with the rules of {@link ArnPattern}: the
     * pattern's parts are split at its first five literal colons.
     */
    public static boolean resource(int[] pattern, int length, ArnParts arn) {
        if (!arn.valid()) {
            return false;
        }
        int parts = parts(pattern, length);
        String text = arn.text();
        int start = 0;
        for (int i = 0; i < parts; i++) {
            int end = i == ArnParts.PARTS - 1 ? length : nextColon(pattern, start, length);
            if (i == parts - 1 && parts < ArnParts.PARTS) {
                if (end == start || pattern[end - 1] != ANY) {
                    return false;
                }
                return glob(pattern, start, end, text, arn.start(i), text.length(), true);
            }
            if (!glob(pattern, start, end, text, arn.start(i), arn.end(i), i > 0 && i < ArnParts.PARTS - 1)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** An Arn condition pattern against an ARN: six parts on both sides, each matched exactly. */
    public static boolean condition(int[] pattern, int length, ArnParts arn) {
        if (!arn.valid() || parts(pattern, length) != ArnParts.PARTS) {
            return false;
        }
        String text = arn.text();
        int start = 0;
        for (int i = 0; i < ArnParts.PARTS; i++) {
            int end = i == ArnParts.PARTS - 1 ? length : nextColon(pattern, start, length);
            if (!glob(pattern, start, end, text, arn.start(i), arn.end(i), false)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** How many parts the pattern splits into at its first five literal colons. */
    private static int parts(int[] pattern, int length) {
        int colons = 0;
        for (int i = 0; i < length && colons < ArnParts.PARTS - 1; i++) {
            if (pattern[i] == ':') {
                colons++;
            }
        }
        return colons + 1;
    }

    private static int nextColon(int[] pattern, int from, int length) {
        for (int i = from; i < length; i++) {
            if (pattern[i] == ':') {
                return i;
            }
        }
        return length;
    }
}
