package dev.gavel.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a residual condition written as Gavel prints one ({@code Residual.text()}): tests
 * {@code OPERATOR KEY ["value", ...]} and {@code resource "ARN" matches [...]} (or
 * {@code matches none of [...]}), joined with {@code AND} and {@code OR}, {@code AND} binding
 * tighter; {@code NOT}, parentheses, {@code true} and {@code false}. Values are JSON strings.
 */
final class ConditionText {

    private final String text;
    private int at;

    private ConditionText(String text) {
        this.text = text;
    }

    /**
     * The shape of the condition the text writes.
     *
     * @throws IllegalArgumentException naming the character, from 1, where the text stops making sense
     */
    static ConditionShape read(String text) {
        ConditionText reader = new ConditionText(text);
        ConditionShape shape = reader.disjunction();
        reader.skipSpace();
        if (reader.at < text.length()) {
            throw reader.error("expected AND, OR or the end");
        }
        return shape;
    }

    private ConditionShape disjunction() {
        List<ConditionShape> parts = new ArrayList<>();
        parts.add(conjunction());
        while (keyword("OR")) {
            parts.add(conjunction());
        }
        return ConditionShape.any(parts);
    }

    private ConditionShape conjunction() {
        List<ConditionShape> parts = new ArrayList<>();
        parts.add(unary());
        while (keyword("AND")) {
            parts.add(unary());
        }
        return ConditionShape.all(parts);
    }

    private ConditionShape unary() {
        if (keyword("NOT")) {
            return new ConditionShape.Negation(unary());
        }
        skipSpace();
        if (symbol('(')) {
            ConditionShape inner = disjunction();
            expect(')');
            return inner;
        }
        String word = word();
        if (word.isEmpty()) {
            throw error("expected a test, NOT, '(', true or false");
        }
        if (word.equals("true") || word.equals("false")) {
            return new ConditionShape.Constant(Boolean.parseBoolean(word));
        }
        if (word.equals("resource")) {
            String resource = string();
            if (!keyword("matches")) {
                throw error("expected 'matches' or 'matches none of'");
            }
            boolean negated = keyword("none");
            if (negated && !keyword("of")) {
                throw error("expected 'of'");
            }
            return new ConditionShape.ResourceTest(resource, negated, list());
        }
        String key = word();
        if (key.isEmpty()) {
            throw error("expected a context key after " + word);
        }
        return new ConditionShape.Test(word, key, list());
    }

    private List<String> list() {
        skipSpace();
        expect('[');
        List<String> values = new ArrayList<>();
        skipSpace();
        if (symbol(']')) {
            return values;
        }
        do {
            values.add(string());
            skipSpace();
        } while (symbol(','));
        expect(']');
        return values;
    }

    /** A JSON string literal. */
    private String string() {
        skipSpace();
        expect('"');
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    at--;
                    throw error("'\\" + escaped + "' is not a JSON escape");
                }
            }
        }
        throw error("the string is not closed");
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error("expected four hex digits");
        }
        try {
            char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
            at += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("expected four hex digits");
        }
    }

    /** A run of characters up to white space, a bracket, a comma or a quote; empty if there is none. */
    private String word() {
        skipSpace();
        int start = at;
        while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && "()[],\"".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        return text.substring(start, at);
    }

    /** Takes the word when it is the keyword, which must end at white space, a bracket or the end. */
    private boolean keyword(String keyword) {
        skipSpace();
        int end = at + keyword.length();
        if (text.startsWith(keyword, at) && (end == text.length() || Character.isWhitespace(text.charAt(end))
                || "()[".indexOf(text.charAt(end)) >= 0)) {
            at = end;
            return true;
        }
        return false;
    }

    private boolean symbol(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (!symbol(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String message) {
        String found = at < text.length() ? "found '" + text.charAt(at) + "'" : "found the end";
        return new IllegalArgumentException("at character " + (at + 1) + ": " + message + ", " + found);
    }
}
