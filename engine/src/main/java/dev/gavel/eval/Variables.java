package dev.gavel.eval;

import dev.gavel.condition.PolicyTemplate;
import dev.gavel.policy.PolicyVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference evaluator's policy variable substitution. In a {@code 2012-10-17} policy,
 * {@code ${key}} takes the request's single value for the key, or the default; the substituted
 * text is literal (a {@code *} in a user name is not a wildcard). In older policies the text is
 * used as written. A variable with neither a value nor a default leaves the string unresolved.
 */
final class Variables {

    private Variables() {}

    /** The string with its variables substituted, or null when a variable has no value. */
    static String text(String value, PolicyVersion version, RequestContext context) {
        if (!version.substitutesVariables() || value.indexOf("${") < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (PolicyTemplate.Part part : PolicyTemplate.parse(value).parts()) {
            if (part instanceof PolicyTemplate.Text text) {
                out.append(text.text());
            } else if (part instanceof PolicyTemplate.Escaped escaped) {
                out.append(escaped.character());
            } else {
                String resolved = resolve((PolicyTemplate.Variable) part, context);
                if (resolved == null) {
                    return null;
                }
                out.append(resolved);
            }
        }
        return out.toString();
    }

    /** The string as a wildcard pattern with its variables substituted, or null when unresolved. */
    static int[] pattern(String value, PolicyVersion version, RequestContext context) {
        if (!version.substitutesVariables() || value.indexOf("${") < 0) {
            return Glob.compile(value);
        }
        List<int[]> pieces = new ArrayList<>();
        for (PolicyTemplate.Part part : PolicyTemplate.parse(value).parts()) {
            if (part instanceof PolicyTemplate.Text text) {
                pieces.add(Glob.compile(text.text()));
            } else if (part instanceof PolicyTemplate.Escaped escaped) {
                pieces.add(new int[] {escaped.character()});
            } else {
                String resolved = resolve((PolicyTemplate.Variable) part, context);
                if (resolved == null) {
                    return null;
                }
                pieces.add(Glob.literal(resolved));
            }
        }
        int length = pieces.stream().mapToInt(p -> p.length).sum();
        int[] pattern = new int[length];
        int at = 0;
        for (int[] piece : pieces) {
            System.arraycopy(piece, 0, pattern, at, piece.length);
            at += piece.length;
        }
        return pattern;
    }

    /** The keys of the variables in a policy string, when the policy's version substitutes them. */
    static List<String> keys(String value, PolicyVersion version) {
        if (!version.substitutesVariables() || value.indexOf("${") < 0) {
            return List.of();
        }
        return PolicyTemplate.parse(value).parts().stream()
                .filter(PolicyTemplate.Variable.class::isInstance)
                .map(part -> ((PolicyTemplate.Variable) part).key())
                .toList();
    }

    private static String resolve(PolicyTemplate.Variable variable, RequestContext context) {
        RequestContext.Entry entry = context.get(variable.key());
        if (entry != null && !entry.multivalued() && entry.values().size() == 1) {
            return entry.values().get(0);
        }
        return variable.defaultValue();
    }
}
