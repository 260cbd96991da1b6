package dev.gavel.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy string split into literal text and policy variables ({@code ${aws:username}},
 * {@code ${aws:PrincipalTag/team, 'default'}}), as used in {@code Resource} elements and in
 * string and ARN condition values of {@code 2012-10-17} policies.
 *
 * <p>{@code ${*}}, {@code ${?}} and {@code ${$}} stand for the characters themselves and are
 * never wildcards. Text that only looks like a variable (an unclosed {@code ${}) stays literal.
 */
public record PolicyTemplate(List<Part> parts) {

    public PolicyTemplate {
        parts = List.copyOf(parts);
    }

    /** A piece of a template. */
    public sealed interface Part permits Text, Escaped, Variable {}

    /** Literal text as written; in a pattern its {@code *} and {@code ?} are wildcards. */
    public record Text(String text) implements Part {}

    /** One of {@code ${*}}, {@code ${?}}, {@code ${$}}: the character, never a wildcard. */
    public record Escaped(char character) implements Part {}

    /** A variable naming a context key, with the default used when the key has no value. */
    public record Variable(String key, String defaultValue) implements Part {}

    /** Whether any part is a variable (escapes are not). */
    public boolean hasVariables() {
        for (Part part : parts) {
            if (part instanceof Variable) {
                return true;
            }
        }
        return false;
    }

    /** Whether the string holds {@code ${} at all: variables or escapes. */
    public boolean hasSubstitutions() {
        return parts.size() != 1 || !(parts.get(0) instanceof Text);
    }

    /** Splits a string into its parts. Never fails: what is not a well-formed variable is text. */
    public static PolicyTemplate parse(String value) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int open = value.indexOf("${", i);
            if (open < 0) {
                text.append(value, i, value.length());
                break;
            }
            int close = value.indexOf('}', open + 2);
            Part part = close < 0 ? null : variableOrEscape(value.substring(open + 2, close));
            if (part == null) {
                text.append(value, i, open + 2);
                i = open + 2;
                continue;
            }
            text.append(value, i, open);
            if (text.length() > 0) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            parts.add(part);
            i = close + 1;
        }
        if (text.length() > 0 || parts.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return new PolicyTemplate(parts);
    }

    private static Part variableOrEscape(String body) {
        if (body.length() == 1 && "*?$".indexOf(body.charAt(0)) >= 0) {
            return new Escaped(body.charAt(0));
        }
        String key = body;
        String defaultValue = null;
        int comma = body.indexOf(',');
        if (comma >= 0) {
            key = body.substring(0, comma);
            String rest = body.substring(comma + 1).strip();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                return null;
            }
            defaultValue = rest.substring(1, rest.length() - 1);
        }
        key = key.strip();
        if (key.isEmpty() || key.indexOf('$') >= 0 || key.indexOf('{') >= 0 || key.indexOf('\'') >= 0) {
            return null;
        }
        return new Variable(key, defaultValue);
    }
}
