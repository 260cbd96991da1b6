package dev.gavel.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Resource} pattern compiled part by part. Each of the six parts of the pattern is
 * matched against the same part of the ARN: partition, service, region and account ignoring
 * case, {@code arn} and the resource part exactly. A {@code *} crosses {@code /} and, in the
 * resource part, {@code :}. A pattern cut short whose last part ends in {@code *} lets that
 * {@code *} run over the rest of the ARN, ignoring case. The pattern {@code *} matches any text.
 */
public final class ArnPattern {

    private static final ArnPattern EVERYTHING = new ArnPattern(new TextPattern[0], false, true, "");

    private final TextPattern[] parts;
    private final boolean shortPattern;
    private final boolean everything;
    private final String literalPrefix;

    private ArnPattern(TextPattern[] parts, boolean shortPattern, boolean everything, String literalPrefix) {
        this.parts = parts;
        this.shortPattern = shortPattern;
        this.everything = everything;
        this.literalPrefix = literalPrefix;
    }

    /** Compiles a pattern whose {@code *} and {@code ?} are all wildcards. */
    public static ArnPattern compile(String pattern) {
        if (pattern.equals("*")) {
            return EVERYTHING;
        }
        List<String> texts = new ArrayList<>(ArnParts.PARTS);
        int start = 0;
        for (int i = 0; i < pattern.length() && texts.size() < ArnParts.PARTS - 1; i++) {
            if (pattern.charAt(i) == ':') {
                texts.add(pattern.substring(start, i));
                start = i + 1;
            }
        }
        texts.add(pattern.substring(start));
        boolean shortPattern = texts.size() < ArnParts.PARTS;
        TextPattern[] parts = new TextPattern[texts.size()];
        StringBuilder prefix = new StringBuilder();
        boolean prefixOpen = true;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = TextPattern.compile(texts.get(i));
            if (prefixOpen) {
                String literal = parts[i].literalPrefix();
                prefix.append(literal);
                prefixOpen = literal.equals(texts.get(i)) && i < parts.length - 1;
                if (prefixOpen) {
                    prefix.append(':');
                }
            }
        }
        if (shortPattern) {
            String last = texts.get(texts.size() - 1);
            if (last.isEmpty() || last.charAt(last.length() - 1) != '*') {
                return new ArnPattern(new TextPattern[0], true, false, prefix.toString());
            }
        }
        return new ArnPattern(parts, shortPattern, false, prefix.toString());
    }

    /** Whether the ARN whose parts were read into {@code arn} matches. */
    public boolean matches(ArnParts arn) {
        if (everything) {
            return true;
        }
        if (!arn.valid() || parts.length == 0) {
            return false;
        }
        String text = arn.text();
        int last = ArnParts.PARTS - 1;
        // The resource part tells ARNs apart most often: try it first.
        if (!shortPattern && !parts[last].matches(text, arn.start(last), arn.end(last), false)) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (shortPattern && i == parts.length - 1) {
                return parts[i].matches(text, arn.start(i), text.length(), true);
            }
            if (i < last && !parts[i].matches(text, arn.start(i), arn.end(i), i > 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The literal text of the resource part up to its last {@code /} or {@code :} before a
     * wildcard, or the whole part when it has no wildcard; null for {@code *}, short patterns and
     * resource parts that start with a wildcard. Every ARN the pattern matches has it as a
     * prefix of its resource part, ending at a {@code /}, a {@code :} or the end.
     */
    public String resourceKey() {
        if (everything || shortPattern || parts.length != ArnParts.PARTS) {
            return null;
        }
        TextPattern resource = parts[ArnParts.PARTS - 1];
        String literal = resource.literalPrefix();
        if (resource instanceof TextPattern.Exact) {
            return literal;
        }
        int cut = Math.max(literal.lastIndexOf('/'), literal.lastIndexOf(':'));
        return cut <= 0 ? null : literal.substring(0, cut);
    }

    /** Whether the pattern is {@code *}. */
    public boolean matchesEverything() {
        return everything;
    }

    /**
     * Text that every matching ARN starts with, for indexing: once the first five parts of both
     * are case-folded ({@link #fold(char)}), since those parts may match ignoring case.
     */
    public String literalPrefix() {
        return literalPrefix;
    }

    /**
     * The case-folded form of a character: two characters that match ignoring case fold alike.
     * The first five parts of a prefix and of an ARN are folded before they are compared.
     */
    public static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
