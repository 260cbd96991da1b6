package dev.gavel.eval;

import dev.gavel.policy.PatternElement;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.PolicyVersion;
import java.util.List;

/**
 * A statement's {@code Resource} or {@code NotResource} element whose patterns hold a policy
 * variable on an unknown key, such as {@code arn:aws:s3:::${aws:PrincipalTag/team}/*}: whether
 * the statement covers {@code resource} depends on the key's value.
 *
 * @param element the element, never null
 * @param resource the requested resource's ARN
 */
public record ResourceClause(PatternElement element, PolicyVersion version, String resource,
        MatchedStatement statement) implements Clause {

    @Override
    public boolean holds(RequestContext complete) {
        return ReferenceEvaluator.resourceMatches(element, statement.policyType(), version, resource, complete);
    }

    @Override
    public List<String> keys() {
        return element.patterns().stream().map(PolicyString::value)
                .flatMap(pattern -> Variables.keys(pattern, version).stream()).distinct().toList();
    }

    @Override
    public String toString() {
        return ResidualText.render(this);
    }
}
