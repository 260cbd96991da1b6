package dev.gavel.analysis;

/**
 * Relations between two IAM wildcard patterns ({@code *} any run of characters, {@code ?} one):
 * whether one covers every string the other matches, and whether any string matches both. What
 * tells, for a resource pattern a principal may reach, which statements grant all of it and
 * which deny part of it. Case-sensitive, as resource ARNs are.
 */
final class Globs {

    private Globs() {}

    /** Whether every string {@code inner} matches, {@code outer} matches too. */
    static boolean contains(String outer, String inner) {
        int lo = outer.length();
        int li = inner.length();
        // reach[i][j]: outer[i..] covers inner[j..]; filled from the ends.
        boolean[][] reach = new boolean[lo + 1][li + 1];
        reach[lo][li] = true;
        for (int i = lo - 1; i >= 0; i--) {
            char o = outer.charAt(i);
            for (int j = li; j >= 0; j--) {
                if (o == '*') {
                    reach[i][j] = reach[i + 1][j] || j < li && reach[i][j + 1];
                } else if (j < li) {
                    char c = inner.charAt(j);
                    boolean one = c == '*' ? false : c == '?' ? o == '?' : o == '?' || o == c;
                    reach[i][j] = one && reach[i + 1][j + 1];
                }
            }
        }
        return reach[0][0];
    }

    /** Whether some string matches both patterns. */
    static boolean intersects(String a, String b) {
        int la = a.length();
        int lb = b.length();
        boolean[][] reach = new boolean[la + 1][lb + 1];
        reach[la][lb] = true;
        for (int i = la; i >= 0; i--) {
            for (int j = lb; j >= 0; j--) {
                if (i == la && j == lb) {
                    continue;
                }
                boolean both = false;
                if (i < la && a.charAt(i) == '*') {
                    both = reach[i + 1][j] || j < lb && reach[i][j + 1];
                }
                if (!both && j < lb && b.charAt(j) == '*') {
                    both = reach[i][j + 1] || i < la && reach[i + 1][j];
                }
                if (!both && i < la && j < lb && a.charAt(i) != '*' && b.charAt(j) != '*') {
                    char x = a.charAt(i);
                    char y = b.charAt(j);
                    both = (x == y || x == '?' || y == '?') && reach[i + 1][j + 1];
                }
                reach[i][j] = both;
            }
        }
        return reach[0][0];
    }

    /**
     * A pattern matching exactly the strings both patterns match, when one is simple to write:
     * the narrower pattern when one covers the other, or for two ARN patterns, the ARN made of
     * the narrower of each pair of fields. Null when there is no such pattern (or no common string).
     */
    static String intersection(String a, String b) {
        if (contains(a, b)) {
            return b;
        }
        if (contains(b, a)) {
            return a;
        }
        if (!intersects(a, b)) {
            return null;
        }
        String[] x = a.split(":", 6);
        String[] y = b.split(":", 6);
        if (x.length != 6 || y.length != 6 || !x[0].equals("arn") || !y[0].equals("arn")) {
            return null;
        }
        StringBuilder narrower = new StringBuilder("arn");
        for (int field = 1; field < 6; field++) {
            String inner = contains(x[field], y[field]) ? y[field] : contains(y[field], x[field]) ? x[field] : null;
            if (inner == null || inner.indexOf(':') >= 0 && field < 5) {
                return null;
            }
            narrower.append(':').append(inner);
        }
        return narrower.toString();
    }
}
