package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three-valued answers on small policy sets: which tests stay open, how denies and layers combine. */
class ConditionalEvaluatorTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String OBJECT = "arn:aws:s3:::payments/q3.csv";

    private final ConditionalEvaluator evaluator = new ConditionalEvaluator();

    private static Policy policy(String source, String text) {
        return PolicyParser.parse(source, text).orElseThrow();
    }

    private static Request request(RequestContext context) {
        return new Request(ALICE, "s3:GetObject", OBJECT, "111122223333", context);
    }

    private static final Policy TEAM_READS = policy("TeamReads", """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
              "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "payments"}}}]}
            """);
    private static final Policy DENY_WITHOUT_MFA = policy("RequireMfa", """
            {"Version": "2012-10-17", "Statement": [{"Sid": "NoMfa", "Effect": "Deny", "Action": "*",
              "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
            """);

    @Test
    void aDenyOnUnknownKeysContributesTheNegationThatEscapesIt() {
        ConditionalEvaluation answer = evaluator.evaluate(request(null),
                PolicySet.ofIdentity(List.of(TEAM_READS, DENY_WITHOUT_MFA)), KeyKnowledge.unknownContext());
        assertThat(answer.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(answer.allowedWhen().text()).isEqualTo(
                "NOT (Bool aws:MultiFactorAuthPresent [\"false\"]) AND StringEquals aws:ResourceTag/team [\"payments\"]");
        assertThat(answer.explicitDenyWhen().text()).isEqualTo("Bool aws:MultiFactorAuthPresent [\"false\"]");
        assertThat(answer.explanation().reason()).isEqualTo("allowed only when " + answer.allowedWhen().text());
        assertThat(answer.explanation().missingContextKeys())
                .containsExactly("aws:MultiFactorAuthPresent", "aws:ResourceTag/team");
        assertThat(answer.explanation().statements()).extracting(MatchedStatement::statement)
                .containsExactly("NoMfa", "Read");
        RequestContext tagged = RequestContext.builder().put("aws:ResourceTag/team", "payments").build();
        assertThat(answer.allowedWhen().holds(tagged.toBuilder().put("aws:MultiFactorAuthPresent", "true").build()))
                .isTrue();
        assertThat(answer.allowedWhen().holds(tagged.toBuilder().put("aws:MultiFactorAuthPresent", "false").build()))
                .isFalse();
        // An absent MFA key does not trigger the Bool deny, so the tagged request alone is allowed.
        assertThat(answer.allowedWhen().holds(tagged)).isTrue();
    }

    @Test
    void givenKeysAreKnownAndDecideTheirTestsAsTheReferenceDoes() {
        RequestContext context = RequestContext.builder().put("aws:MultiFactorAuthPresent", "true").build();
        ConditionalEvaluation answer = evaluator.evaluate(request(context),
                PolicySet.ofIdentity(List.of(TEAM_READS, DENY_WITHOUT_MFA)), KeyKnowledge.unknownContext());
        assertThat(answer.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(answer.allowedWhen().text()).isEqualTo("StringEquals aws:ResourceTag/team [\"payments\"]");
        assertThat(answer.explicitDenyWhen()).isEqualTo(Residual.FALSE);
    }

    @Test
    void aDenyThatCertainlyAppliesDecidesWhateverTheUnknownKeys() {
        RequestContext context = RequestContext.builder().put("aws:MultiFactorAuthPresent", "false").build();
        ConditionalEvaluation answer = evaluator.evaluate(request(context),
                PolicySet.ofIdentity(List.of(TEAM_READS, DENY_WITHOUT_MFA)), KeyKnowledge.unknownContext());
        assertThat(answer.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
        assertThat(answer.allowedWhen()).isEqualTo(Residual.FALSE);
        assertThat(answer.explanation().reason()).startsWith("explicitly denied by identity policy RequireMfa");
    }

    @Test
    void neverAllowedButPerhapsExplicitlyDeniedIsAnImplicitDenyThatSaysWhenItIsExplicit() {
        ConditionalEvaluation answer = evaluator.evaluate(request(null),
                PolicySet.ofIdentity(List.of(DENY_WITHOUT_MFA)), KeyKnowledge.unknownContext());
        assertThat(answer.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        assertThat(answer.allowedWhen()).isEqualTo(Residual.FALSE);
        assertThat(answer.explicitDenyWhen().text()).isEqualTo("Bool aws:MultiFactorAuthPresent [\"false\"]");
        assertThat(answer.explanation().reason()).isEqualTo("never allowed, whatever the unknown context keys are; "
                + "explicitly denied when Bool aws:MultiFactorAuthPresent [\"false\"]");
    }

    @Test
    void ifExistsAndNullOnAnUnknownKeyStayOpen() {
        Policy policy = policy("Open", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"StringEqualsIfExists": {"s3:prefix": "home/"}, "Null": {"aws:TokenIssueTime": "true"}}}]}
                """);
        ConditionalEvaluation answer = evaluator.evaluate(request(null), PolicySet.ofIdentity(List.of(policy)),
                KeyKnowledge.complete().withUnknown(List.of("s3:prefix", "aws:TokenIssueTime")));
        assertThat(answer.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(answer.allowedWhen().text()).isEqualTo(
                "StringEqualsIfExists s3:prefix [\"home/\"] AND Null aws:TokenIssueTime [\"true\"]");
        assertThat(answer.allowedWhen().holds(RequestContext.empty())).isTrue();
        assertThat(answer.allowedWhen().holds(RequestContext.builder().put("s3:prefix", "other/").build())).isFalse();
    }

    @Test
    void aVariableOnAnUnknownKeyLeavesItsTestOpenInConditionsAndResources() {
        Policy policy = policy("Home", """
                {"Version": "2012-10-17", "Statement": [{"Sid": "Own", "Effect": "Allow", "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}/*",
                  "Condition": {"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team}/"}}}]}
                """);
        RequestContext context = RequestContext.builder().put("s3:prefix", "payments/").build();
        ConditionalEvaluation answer = evaluator.evaluate(request(context), PolicySet.ofIdentity(List.of(policy)),
                KeyKnowledge.complete().withUnknown(List.of("aws:PrincipalTag/*")));
        assertThat(answer.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(answer.allowedWhen().text()).isEqualTo("resource \"" + OBJECT
                + "\" matches [\"arn:aws:s3:::${aws:PrincipalTag/team}/*\"] AND StringEquals s3:prefix "
                + "[\"${aws:PrincipalTag/team}/\"]");
        assertThat(answer.allowedWhen().clauses()).allSatisfy(clause ->
                assertThat(clause.keys()).contains("aws:PrincipalTag/team"));
        RequestContext payments = context.toBuilder().put("aws:PrincipalTag/team", "payments").build();
        assertThat(answer.allowedWhen().holds(payments)).isTrue();
        assertThat(answer.allowedWhen().holds(context.toBuilder().put("aws:PrincipalTag/team", "risk").build()))
                .isFalse();
    }

    @Test
    void aResourcePatternOnKnownKeysThatMatchesDecidesTheElement() {
        Policy policy = policy("Buckets", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                  "Resource": ["arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:s3:::payments/*"]}]}
                """);
        Policy except = policy("Except", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                  "NotResource": ["arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:s3:::payments/*"]}]}
                """);
        KeyKnowledge teamUnknown = KeyKnowledge.complete().withUnknown(List.of("aws:PrincipalTag/team"));
        assertThat(evaluator.evaluate(request(null), PolicySet.ofIdentity(List.of(policy)), teamUnknown).verdict())
                .isEqualTo(Verdict.ALLOWED);
        assertThat(evaluator.evaluate(request(null), PolicySet.ofIdentity(List.of(except)), teamUnknown).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);
    }

    @Test
    void layersCombineWithAndAndEachLayerOffersAnyOfItsStatements() {
        Policy identity = policy("Identity", """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Vpce", "Effect": "Allow", "Action": "s3:*", "Resource": "*",
                   "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}},
                  {"Sid": "Office", "Effect": "Allow", "Action": "s3:*", "Resource": "*",
                   "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
                """);
        Policy boundary = policy("Boundary", """
                {"Version": "2012-10-17", "Statement": [{"Sid": "Region", "Effect": "Allow", "Action": "*",
                  "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}
                """);
        PolicySet policies = PolicySet.builder().identityPolicies(List.of(identity)).permissionBoundary(boundary)
                .build();
        ConditionalEvaluation answer = evaluator.evaluate(request(null), policies, KeyKnowledge.unknownContext());
        assertThat(answer.allowedWhen().text()).isEqualTo("(StringEquals aws:SourceVpce [\"vpce-1\"] OR IpAddress "
                + "aws:SourceIp [\"203.0.113.0/24\"]) AND StringEquals aws:RequestedRegion [\"eu-west-1\"]");
        assertThat(answer.explanation().statements()).extracting(MatchedStatement::policyType)
                .containsExactly(PolicyType.IDENTITY, PolicyType.IDENTITY, PolicyType.BOUNDARY);
    }

    @Test
    void withNothingUnknownTheAnswerIsTheReferenceEvaluatorsAndHasNoResidual() {
        PolicySet policies = PolicySet.ofIdentity(List.of(TEAM_READS, DENY_WITHOUT_MFA));
        Request request = request(RequestContext.builder().put("aws:ResourceTag/team", "payments").build());
        ConditionalEvaluation answer = evaluator.evaluate(request, policies, KeyKnowledge.complete());
        Evaluation reference = new ReferenceEvaluator().evaluate(request, policies);
        assertThat(answer.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(answer.allowedWhen()).isEqualTo(Residual.TRUE);
        assertThat(answer.explanation()).isEqualTo(reference.explanation());
    }

    @Test
    void keyKnowledgeReadsNamesAndPatternsWithoutRegardToCase() {
        KeyKnowledge knowledge = KeyKnowledge.complete().withUnknown(List.of("aws:resourcetag/*", "AWS:SourceIp"))
                .withKnown(List.of("aws:ResourceTag/owner"));
        RequestContext context = RequestContext.builder().put("aws:ResourceTag/env", "prod").build();
        assertThat(knowledge.isUnknown("aws:ResourceTag/team", context)).isTrue();
        assertThat(knowledge.isUnknown("aws:sourceip", context)).isTrue();
        assertThat(knowledge.isUnknown("aws:ResourceTag/env", context)).as("given").isFalse();
        assertThat(knowledge.isUnknown("aws:ResourceTag/Owner", context)).as("known absent").isFalse();
        assertThat(knowledge.isUnknown("aws:RequestedRegion", context)).as("not marked").isFalse();
        assertThat(KeyKnowledge.unknownContext().isUnknown("aws:RequestedRegion", context)).isTrue();
        assertThat(KeyKnowledge.unknownContext().isUnknown("aws:PrincipalArn", context)).as("who asks").isFalse();
    }

    @Test
    void keyKnowledgeRefusesWhatCannotNameAKey() {
        assertThatThrownBy(() -> KeyKnowledge.complete().withUnknown(List.of("SourceIp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"SourceIp\" is not a context key (service:name, such as aws:SourceIp) or a pattern of "
                        + "them (such as aws:ResourceTag/*)");
        assertThatThrownBy(() -> KeyKnowledge.complete().withUnknown(List.of("aws:Source Ip")))
                .hasMessage("\"aws:Source Ip\" holds white space, and context keys do not");
        assertThatThrownBy(() -> KeyKnowledge.complete().withUnknown(List.of(" ")))
                .hasMessage("a context key or pattern may not be empty");
    }
}
