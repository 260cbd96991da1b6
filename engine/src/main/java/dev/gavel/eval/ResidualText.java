package dev.gavel.eval;

import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.PolicyString;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text form of a residual, one line: {@code AND} binds tighter than {@code OR}, and a nested
 * {@code AND} or {@code OR} is parenthesised all the same, for the reader. A condition reads as
 * its block does ({@code StringEquals aws:ResourceTag/team ["payments"]}), values as JSON strings.
 */
final class ResidualText {

    private ResidualText() {}

    static String render(Residual residual) {
        if (residual instanceof Residual.Truth truth) {
            return Boolean.toString(truth.value());
        }
        if (residual instanceof Residual.And and) {
            return join(and.children(), " AND ");
        }
        if (residual instanceof Residual.Or or) {
            return join(or.children(), " OR ");
        }
        if (residual instanceof Residual.Not not) {
            return "NOT (" + render(not.child()) + ")";
        }
        if (residual instanceof ConditionClause condition) {
            return condition.condition().operator().jsonName() + " " + condition.condition().key() + " "
                    + list(condition.condition().values().stream().map(ConditionValue::text).toList());
        }
        ResourceClause resource = (ResourceClause) residual;
        return "resource " + quote(resource.resource()) + (resource.element().negated() ? " matches none of "
                : " matches ") + list(resource.element().patterns().stream().map(PolicyString::value).toList());
    }

    private static String join(List<Residual> children, String operator) {
        return children.stream().map(child -> child instanceof Residual.And || child instanceof Residual.Or
                ? "(" + render(child) + ")" : render(child)).collect(Collectors.joining(operator));
    }

    private static String list(List<String> values) {
        return values.stream().map(ResidualText::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
