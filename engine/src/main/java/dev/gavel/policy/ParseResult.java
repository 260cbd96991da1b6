package dev.gavel.policy;

import java.util.List;

/**
 * What parsing a policy text produced: the policy (null only when the text is not a JSON object)
 * and the structural findings. A policy with an ERROR finding must not be evaluated.
 */
public record ParseResult(Policy policy, List<Finding> findings) {

    public ParseResult {
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** The policy, or an exception carrying every error when the policy must not be evaluated. */
    public Policy orElseThrow() {
        if (policy == null || hasErrors()) {
            throw new PolicyException(findings.stream().filter(f -> f.severity() == Severity.ERROR).toList());
        }
        return policy;
    }
}
