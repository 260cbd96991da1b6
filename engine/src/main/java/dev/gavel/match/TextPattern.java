package dev.gavel.match;

/**
 * An IAM wildcard pattern ({@code *} any run of characters, {@code ?} one character) compiled
 * into the cheapest matcher that fits it: everything, an exact text, a prefix, a suffix, or a
 * general glob. Matching reads a region of a string in place and allocates nothing.
 *
 * <p>Ignoring case compares characters as equal when they are equal, or equal in lower case, or
 * equal in upper case.
 */
public abstract sealed class TextPattern {

    private static final TextPattern ANY = new Any();

    TextPattern() {}

    /** Compiles a pattern in which every {@code *} and {@code ?} is a wildcard. */
    public static TextPattern compile(String pattern) {
        int stars = 0;
        int questions = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            stars += c == '*' ? 1 : 0;
            questions += c == '?' ? 1 : 0;
        }
        if (questions == 0 && stars == pattern.length() && stars > 0) {
            return ANY;
        }
        if (questions == 0 && stars == 0) {
            return new Exact(pattern);
        }
        if (questions == 0 && stars == 1 && pattern.endsWith("*")) {
            return new Prefix(pattern.substring(0, pattern.length() - 1));
        }
        if (questions == 0 && stars == 1 && pattern.startsWith("*")) {
            return new Suffix(pattern.substring(1));
        }
        return new Glob(pattern);
    }

    /** A pattern that matches exactly this text, wildcard characters included. */
    public static TextPattern literal(String text) {
        return new Exact(text);
    }

    /** Whether {@code text[from, to)} matches. */
    public abstract boolean matches(String text, int from, int to, boolean ignoreCase);

    public final boolean matches(String text, boolean ignoreCase) {
        return matches(text, 0, text.length(), ignoreCase);
    }

    /** Whether this pattern matches every text. */
    public boolean matchesEverything() {
        return false;
    }

    /** The literal text every match starts with, for indexing. */
    public abstract String literalPrefix();

    static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }

    static boolean regionEquals(String literal, String text, int from, boolean ignoreCase) {
        for (int i = 0; i < literal.length(); i++) {
            if (!same(literal.charAt(i), text.charAt(from + i), ignoreCase)) {
                return false;
            }
        }
        return true;
    }

    /** {@code *}: every text. */
    static final class Any extends TextPattern {
        @Override
        public boolean matches(String text, int from, int to, boolean ignoreCase) {
            return true;
        }

        @Override
        public boolean matchesEverything() {
            return true;
        }

        @Override
        public String literalPrefix() {
            return "";
        }
    }

    /** No wildcard: the text itself. */
    static final class Exact extends TextPattern {
        private final String literal;

        Exact(String literal) {
            this.literal = literal;
        }

        @Override
        public boolean matches(String text, int from, int to, boolean ignoreCase) {
            return to - from == literal.length() && regionEquals(literal, text, from, ignoreCase);
        }

        @Override
        public String literalPrefix() {
            return literal;
        }
    }

    /** {@code literal*}. */
    static final class Prefix extends TextPattern {
        private final String literal;

        Prefix(String literal) {
            this.literal = literal;
        }

        @Override
        public boolean matches(String text, int from, int to, boolean ignoreCase) {
            return to - from >= literal.length() && regionEquals(literal, text, from, ignoreCase);
        }

        @Override
        public String literalPrefix() {
            return literal;
        }
    }

    /** {@code *literal}. */
    static final class Suffix extends TextPattern {
        private final String literal;

        Suffix(String literal) {
            this.literal = literal;
        }

        @Override
        public boolean matches(String text, int from, int to, boolean ignoreCase) {
            return to - from >= literal.length() && regionEquals(literal, text, to - literal.length(), ignoreCase);
        }

        @Override
        public String literalPrefix() {
            return "";
        }
    }

    /** Any mix of wildcards: greedy matching with one backtrack point, linear space, no recursion. */
    static final class Glob extends TextPattern {
        private final String pattern;
        private final String prefix;

        Glob(String pattern) {
            this.pattern = pattern;
            int firstWildcard = 0;
            while (firstWildcard < pattern.length() && pattern.charAt(firstWildcard) != '*'
                    && pattern.charAt(firstWildcard) != '?') {
                firstWildcard++;
            }
            this.prefix = pattern.substring(0, firstWildcard);
        }

        @Override
        public boolean matches(String text, int from, int to, boolean ignoreCase) {
            int p = 0;
            int t = from;
            int star = -1;
            int resume = -1;
            int length = pattern.length();
            while (t < to) {
                if (p < length) {
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
            while (p < length && pattern.charAt(p) == '*') {
                p++;
            }
            return p == length;
        }

        @Override
        public String literalPrefix() {
            return prefix;
        }
    }
}
