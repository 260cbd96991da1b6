package dev.gavel.eval;

import dev.gavel.policy.PolicyType;
import java.util.List;

/**
 * Why a request got its decision: the policy type that decided (null when no policy did, as
 * for {@code sts:GetCallerIdentity}), a sentence, the decisive statements, and the context keys
 * that conditions asked for but the request did not carry.
 */
public record Explanation(PolicyType decidedBy, String reason, List<MatchedStatement> statements,
        List<String> missingContextKeys) {

    public Explanation {
        statements = List.copyOf(statements);
        missingContextKeys = List.copyOf(missingContextKeys);
    }
}
