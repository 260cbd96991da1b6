package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.ConditionOperator;
import dev.gavel.condition.SetOperator;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyVersion;
import dev.gavel.policy.SourceLocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The residual tree's simplification, its text, and how it evaluates once the keys are known. */
class ResidualTest {

    private static final MatchedStatement AT = new MatchedStatement(PolicyType.IDENTITY, -1, "Policy", "S1",
            Effect.ALLOW, new SourceLocation(3, 5, "Statement[0]"));

    private static ConditionClause clause(BaseOperator operator, String key, String... values) {
        List<ConditionValue> written = java.util.Arrays.stream(values)
                .map(value -> new ConditionValue(value, ConditionValue.JsonType.STRING, SourceLocation.NONE)).toList();
        return new ConditionClause(new Condition(new ConditionOperator(SetOperator.NONE, operator, false), key,
                written, SourceLocation.NONE), PolicyVersion.V2012_10_17, AT);
    }

    private final Residual team = clause(BaseOperator.STRING_EQUALS, "aws:ResourceTag/team", "payments");
    private final Residual mfa = clause(BaseOperator.BOOL, "aws:MultiFactorAuthPresent", "false");
    private final Residual ip = clause(BaseOperator.IP_ADDRESS, "aws:SourceIp", "10.0.0.0/8", "192.0.2.0/24");

    @Test
    void constantsFold() {
        assertThat(Residual.and(team, Residual.TRUE)).isEqualTo(team);
        assertThat(Residual.and(team, Residual.FALSE)).isEqualTo(Residual.FALSE);
        assertThat(Residual.or(team, Residual.TRUE)).isEqualTo(Residual.TRUE);
        assertThat(Residual.or(team, Residual.FALSE)).isEqualTo(team);
        assertThat(Residual.and()).isEqualTo(Residual.TRUE);
        assertThat(Residual.or()).isEqualTo(Residual.FALSE);
        assertThat(Residual.not(Residual.TRUE)).isEqualTo(Residual.FALSE);
    }

    @Test
    void nestingFlattensRepeatsDropAndAChildBesideItsNegationFolds() {
        assertThat(Residual.and(team, Residual.and(mfa, ip))).isEqualTo(new Residual.And(List.of(team, mfa, ip)));
        assertThat(Residual.or(Residual.or(team, mfa), ip, team)).isEqualTo(new Residual.Or(List.of(team, mfa, ip)));
        assertThat(Residual.not(Residual.not(team))).isEqualTo(team);
        assertThat(Residual.and(team, Residual.not(team))).isEqualTo(Residual.FALSE);
        assertThat(Residual.or(Residual.not(mfa), ip, mfa)).isEqualTo(Residual.TRUE);
    }

    @Test
    void treesThatAreNotSimplifiedCannotBeBuilt() {
        assertThatThrownBy(() -> new Residual.And(List.of(team))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Residual.Or(List.of(team, Residual.TRUE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Residual.And(List.of(team, new Residual.And(List.of(mfa, ip)))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Residual.Not(Residual.FALSE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTextParenthesisesNestedGroupsAndQuotesValues() {
        Residual residual = Residual.and(team, Residual.not(mfa), Residual.or(ip, Residual.and(team, mfa)));
        assertThat(residual.text()).isEqualTo("StringEquals aws:ResourceTag/team [\"payments\"] AND NOT (Bool "
                + "aws:MultiFactorAuthPresent [\"false\"]) AND (IpAddress aws:SourceIp [\"10.0.0.0/8\", "
                + "\"192.0.2.0/24\"] OR (StringEquals aws:ResourceTag/team [\"payments\"] AND Bool "
                + "aws:MultiFactorAuthPresent [\"false\"]))");
        assertThat(residual.toString()).isEqualTo(residual.text());
        assertThat(clause(BaseOperator.STRING_LIKE, "s3:prefix", "a\"b\\c").text())
                .isEqualTo("StringLike s3:prefix [\"a\\\"b\\\\c\"]");
        assertThat(Residual.TRUE.text()).isEqualTo("true");
    }

    @Test
    void aResidualHoldsAsItsClausesDoOnceTheKeysAreKnown() {
        Residual residual = Residual.and(team, Residual.not(mfa));
        RequestContext tagged = RequestContext.builder().put("aws:ResourceTag/team", "payments").build();
        assertThat(residual.holds(tagged)).isTrue();
        assertThat(residual.holds(tagged.toBuilder().put("aws:MultiFactorAuthPresent", "false").build())).isFalse();
        assertThat(residual.holds(RequestContext.empty())).isFalse();
        assertThat(residual.clauses()).containsExactly((Clause) team, (Clause) mfa);
    }
}
