package dev.gavel.policy;

import java.util.List;

/**
 * A parsed policy document. {@code source} names where it came from (a file, or a field of a
 * case). {@code length} counts its characters as written, the measure AWS Organizations applies
 * to SCPs and RCPs; {@code compactLength} counts those other than whitespace, the measure IAM
 * applies. Both are -1 for a policy that was not read from a text.
 */
public record Policy(
        String source,
        PolicyVersion version,
        PolicyString id,
        List<Statement> statements,
        SourceLocation location,
        int length,
        int compactLength) {

    public Policy {
        statements = List.copyOf(statements);
    }
}
