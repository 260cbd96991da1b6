package dev.gavel.analysis;

import dev.gavel.match.Wildcard;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements of a policy that read context keys, in a condition or as a {@code ${...}}
 * variable, with the keys each reads: the only statements whose effect may depend on keys whose
 * values are unknown. Most statements read none, so a principal's list is usually empty.
 *
 * @param action the statement's Action or NotAction element
 * @param resource its Resource or NotResource element, null when it has none (a trust policy's)
 * @param keys the keys it reads, as written
 */
record KeyReads(PatternElement action, PatternElement resource, List<String> keys) {

    KeyReads {
        keys = List.copyOf(keys);
    }

    /**
     * Whether the statement may apply to the resource: no resource element, or one that matches it
     * for some value of its variables (a pattern holding {@code ${...}} is taken to match either way;
     * letters match in either case, and the resource {@code *} is taken to match any statement).
     */
    boolean mayCover(String resourceArn) {
        if (resource == null || resourceArn.equals("*")) {
            return true;
        }
        boolean variable = false;
        boolean listed = false;
        for (PolicyString pattern : resource.patterns()) {
            if (pattern.value().contains("${")) {
                variable = true;
            } else if (Wildcard.matches(pattern.value(), resourceArn, true)) {
                listed = true;
            }
        }
        return variable || listed != resource.negated();
    }

    /** The policy's statements that read keys. */
    static List<KeyReads> of(Policy policy) {
        List<KeyReads> reads = new ArrayList<>();
        for (Statement statement : policy.statements()) {
            Set<String> keys = new LinkedHashSet<>();
            SessionKeys.keysRead(statement, keys::add);
            if (!keys.isEmpty()) {
                reads.add(new KeyReads(statement.action(), statement.resource(), List.copyOf(keys)));
            }
        }
        return reads;
    }
}
