package dev.gavel.compile;

import dev.gavel.condition.PolicyTemplate;
import dev.gavel.match.Tokens;
import java.util.List;

/**
 * A policy string with policy variables, compiled: literal text, escaped characters, and
 * variables as context key slots with their defaults. Substitution happens in place at request
 * time, into the scratch's buffer or by comparing piece by piece, so nothing is allocated.
 */
final class Template {

    private static final byte TEXT = 0;
    private static final byte ESCAPED = 1;
    private static final byte VARIABLE = 2;

    private final byte[] kinds;
    private final String[] texts;
    private final int[] slots;

    private Template(byte[] kinds, String[] texts, int[] slots) {
        this.kinds = kinds;
        this.texts = texts;
        this.slots = slots;
    }

    /** The compiled template of a value that holds {@code ${...}}, or null when it holds no substitution. */
    static Template compile(String value, Symbols symbols) {
        if (value.indexOf("${") < 0) {
            return null;
        }
        PolicyTemplate parsed = PolicyTemplate.parse(value);
        if (!parsed.hasSubstitutions()) {
            return null;
        }
        List<PolicyTemplate.Part> parts = parsed.parts();
        byte[] kinds = new byte[parts.size()];
        String[] texts = new String[parts.size()];
        int[] slots = new int[parts.size()];
        for (int i = 0; i < kinds.length; i++) {
            PolicyTemplate.Part part = parts.get(i);
            if (part instanceof PolicyTemplate.Text text) {
                kinds[i] = TEXT;
                texts[i] = text.text();
            } else if (part instanceof PolicyTemplate.Escaped escaped) {
                kinds[i] = ESCAPED;
                texts[i] = String.valueOf(escaped.character());
            } else {
                PolicyTemplate.Variable variable = (PolicyTemplate.Variable) part;
                kinds[i] = VARIABLE;
                texts[i] = variable.defaultValue();
                slots[i] = symbols.key(variable.key());
            }
        }
        return new Template(kinds, texts, slots);
    }

    /** The text of piece {@code i} for this request, or null when a variable has no value. */
    private String piece(int i, EvalScratch scratch) {
        if (kinds[i] != VARIABLE) {
            return texts[i];
        }
        String value = scratch.variable(slots[i]);
        return value != null ? value : texts[i];
    }

    /**
     * Whether {@code text} equals the substituted string (case-insensitively as
     * {@link String#equalsIgnoreCase} when asked); false when a variable has no value.
     */
    boolean equalsText(String text, boolean ignoreCase, EvalScratch scratch) {
        int at = 0;
        for (int i = 0; i < kinds.length; i++) {
            String piece = piece(i, scratch);
            if (piece == null || at + piece.length() > text.length()
                    || !text.regionMatches(ignoreCase, at, piece, 0, piece.length())) {
                return false;
            }
            at += piece.length();
        }
        return at == text.length();
    }

    /**
     * Writes the substituted pattern into the scratch's tokens: wildcards only from the policy's
     * own text. Returns its length, or -1 when a variable has no value.
     */
    int tokens(EvalScratch scratch) {
        int length = 0;
        for (int i = 0; i < kinds.length; i++) {
            String piece = piece(i, scratch);
            if (piece == null) {
                return -1;
            }
            length += piece.length();
        }
        int[] tokens = scratch.tokens(length);
        int at = 0;
        for (int i = 0; i < kinds.length; i++) {
            String piece = piece(i, scratch);
            boolean wildcards = kinds[i] == TEXT;
            for (int c = 0; c < piece.length(); c++) {
                char ch = piece.charAt(c);
                tokens[at++] = wildcards && ch == '*' ? Tokens.ANY : wildcards && ch == '?' ? Tokens.ONE : ch;
            }
        }
        return length;
    }

    /**
     * As {@code ArnPattern.resourceKey}, for a resource pattern with variables: the literal
     * text of its resource part up to its last {@code /} or {@code :} before the first wildcard
     * or variable; null when the resource part does not start with literal text, or a variable
     * comes before it (a value with colons would move where it starts).
     */
    String resourceKey() {
        String literal = literalPrefix();
        int colons = 0;
        int partStart = -1;
        for (int i = 0; i < literal.length(); i++) {
            if (literal.charAt(i) == ':' && ++colons == 5) {
                partStart = i + 1;
                break;
            }
        }
        if (partStart < 0) {
            return null;
        }
        String part = literal.substring(partStart);
        int cut = Math.max(part.lastIndexOf('/'), part.lastIndexOf(':'));
        return cut <= 0 ? null : part.substring(0, cut);
    }

    /** The literal text before the first wildcard or variable, for indexing resource patterns. */
    String literalPrefix() {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == VARIABLE) {
                break;
            }
            String text = texts[i];
            int wildcard = kinds[i] == TEXT ? firstWildcard(text) : text.length();
            prefix.append(text, 0, wildcard);
            if (wildcard < text.length()) {
                break;
            }
        }
        return prefix.toString();
    }

    private static int firstWildcard(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '*' || text.charAt(i) == '?') {
                return i;
            }
        }
        return text.length();
    }
}
