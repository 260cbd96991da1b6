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

    private static final ArnPattern EVERYTHING = new ArnPattern(new TextPattern[0], false, true, null);

    private final TextPattern[] parts;
    private final boolean shortPattern;
    private final boolean everything;
    /**
     * {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:} when those five parts are all literal: then
     * they match in one pass over the ARN's text (the first exactly, the others in any case).
     */
    private final String head;
    private final int firstPartLength;

    private ArnPattern(TextPattern[] parts, boolean shortPattern, boolean everything, String head) {
        this.parts = parts;
        this.shortPattern = shortPattern;
        this.everything = everything;
        this.head = head;
        this.firstPartLength = head == null ? 0 : head.indexOf(':');
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
        boolean literalHead = !shortPattern;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = TextPattern.compile(texts.get(i));
            literalHead &= i == ArnParts.PARTS - 1 || parts[i] instanceof TextPattern.Exact;
        }
        if (shortPattern) {
            String last = texts.get(texts.size() - 1);
            if (last.isEmpty() || last.charAt(last.length() - 1) != '*') {
                return new ArnPattern(new TextPattern[0], true, false, null);
            }
        }
        String head = literalHead ? String.join(":", texts.subList(0, ArnParts.PARTS - 1)) + ":" : null;
        return new ArnPattern(parts, shortPattern, false, head);
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
        if (head != null) {
            return arn.start(last) == head.length() && headMatches(text);
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

    private boolean headMatches(String text) {
        for (int i = 0; i < head.length(); i++) {
            char c = text.charAt(i);
            char h = head.charAt(i);
            if (c != h && (i < firstPartLength || !TextPattern.same(h, c, true))) {
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
}
