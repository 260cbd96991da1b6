package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.SetOperator;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static Policy parse(String text) {
        return PolicyParser.parse("test.json", text).orElseThrow();
    }

    @Test
    void acceptsStatementAsObjectOrArray() {
        Policy single = parse("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}");
        Policy list = parse("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}");
        assertThat(single.statements()).hasSize(1);
        assertThat(single.statements().get(0).location().path()).isEqualTo("Statement");
        assertThat(list.statements().get(0).location().path()).isEqualTo("Statement[0]");
        assertThat(single.version()).isEqualTo(PolicyVersion.ABSENT);
    }

    @Test
    void acceptsStringsOrArraysWhereverAListGoes() {
        Policy policy = parse("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b"]}]}
                """);
        Statement statement = policy.statements().get(0);
        assertThat(statement.effect()).isEqualTo(Effect.DENY);
        assertThat(statement.action().negated()).isTrue();
        assertThat(statement.action().patterns()).extracting(PolicyString::value).containsExactly("iam:*");
        assertThat(statement.resource().negated()).isTrue();
        assertThat(statement.resource().patterns()).hasSize(2);
        assertThat(statement.resource().patterns().get(1).location().path()).isEqualTo("Statement[0].NotResource[1]");
        assertThat(policy.version()).isEqualTo(PolicyVersion.V2012_10_17);
    }

    @Test
    void acceptsEveryPrincipalForm() {
        Policy policy = parse("""
                {"Version": "2008-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
                  {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:user/a"],
                    "Service": "ec2.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
                    "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
                   "Action": "s3:GetObject", "Resource": "*"},
                  {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
                   "Action": "s3:*", "Resource": "*"}]}
                """);
        assertThat(policy.version()).isEqualTo(PolicyVersion.V2008_10_17);
        assertThat(policy.statements().get(0).principal().anyone()).isTrue();
        PrincipalElement named = policy.statements().get(1).principal();
        assertThat(named.ids()).extracting(PrincipalId::kind).containsExactly(PrincipalKind.AWS, PrincipalKind.AWS,
                PrincipalKind.SERVICE, PrincipalKind.FEDERATED, PrincipalKind.CANONICAL_USER);
        assertThat(policy.statements().get(2).principal().negated()).isTrue();
    }

    @Test
    void readsConditionsWithTheirOperatorsAndJsonTypes() {
        Policy policy = parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["team*", "env"]},
                                "NumericLessThan": {"s3:max-keys": 10},
                                "Bool": {"aws:SecureTransport": true}}}}
                """);
        var conditions = policy.statements().get(0).conditions();
        assertThat(conditions).hasSize(3);
        assertThat(conditions.get(0).operator().setOperator()).isEqualTo(SetOperator.FOR_ANY_VALUE);
        assertThat(conditions.get(0).operator().base()).isEqualTo(BaseOperator.STRING_LIKE);
        assertThat(conditions.get(0).operator().ifExists()).isTrue();
        assertThat(conditions.get(0).location().path()).isEqualTo("Statement.Condition.ForAnyValue:StringLikeIfExists.aws:TagKeys");
        assertThat(conditions.get(1).values().get(0).text()).isEqualTo("10");
        assertThat(conditions.get(1).values().get(0).json()).isEqualTo(ConditionValue.JsonType.NUMBER);
        assertThat(conditions.get(2).values().get(0).text()).isEqualTo("true");
        assertThat(conditions.get(2).values().get(0).json()).isEqualTo(ConditionValue.JsonType.BOOLEAN);
    }

    @Test
    void locatesElementsByLineAndColumn() {
        Policy policy = parse("{\n  \"Statement\": [\n    {\"Sid\": \"A1\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}");
        Statement statement = policy.statements().get(0);
        assertThat(statement.location().line()).isEqualTo(3);
        assertThat(statement.location().column()).isEqualTo(5);
        assertThat(statement.sid().location().column()).isEqualTo(13);
        assertThat(statement.label()).isEqualTo("A1");
    }

    @Test
    void measuresSizeWithAndWithoutWhitespace() {
        Policy policy = parse("{ \"Statement\" : { \"Effect\" : \"Allow\", \"Action\" : \"*\", \"Resource\" : \"*\" } }");
        assertThat(policy.compactLength()).isEqualTo("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}".length());
        assertThat(policy.length()).isEqualTo(74);
    }

    @Test
    void reportsEveryStructuralProblemNotOnlyTheFirst() {
        ParseResult result = PolicyParser.parse("p.json", """
                {"Version": "2013-01-01", "Statement": [
                  {"Effect": "allow", "Action": "s3:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": [], "Resource": "*", "Resources": "*"},
                  {"Effect": "Deny", "Action": "s3:*", "NotAction": "s3:Get*", "Resource": "*",
                   "Condition": {"StringEqual": {"k": "v"}}}]}
                """);
        assertThat(result.findings()).extracting(Finding::code).containsExactly(
                FindingCode.INVALID_VERSION, FindingCode.INVALID_EFFECT, FindingCode.EMPTY_ARRAY,
                FindingCode.UNKNOWN_ELEMENT, FindingCode.CONFLICTING_ELEMENTS, FindingCode.UNKNOWN_OPERATOR);
        assertThat(result.hasErrors()).isTrue();
        assertThatThrownBy(result::orElseThrow).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("p.json:1:13: ERROR INVALID_VERSION");
        assertThat(result.findings().get(3).message()).contains("did you mean \"Resource\"");
    }

    @Test
    void aMalformedTextGivesOneFindingWithItsPosition() {
        ParseResult result = PolicyParser.parse("bad.json", "{\"Statement\": [\n  {\"Effect\": \"Allow\",, }]}");
        assertThat(result.policy()).isNull();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.JSON_SYNTAX);
            assertThat(f.location().line()).isEqualTo(2);
            assertThat(f.format()).startsWith("bad.json:2:");
        });
    }

    @Test
    void operatorNamesInAnotherCaseAreReadWithAWarning() {
        ParseResult result = PolicyParser.parse("p.json", """
                {"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
                  "Condition": {"forAnyValue:stringlike": {"aws:TagKeys": "x*"}}}}
                """);
        assertThat(result.hasErrors()).isFalse();
        assertThat(result.findings()).extracting(Finding::code).containsExactly(FindingCode.NONCANONICAL_OPERATOR);
        assertThat(result.policy().statements().get(0).conditions().get(0).operator().jsonName())
                .isEqualTo("ForAnyValue:StringLike");
    }

    @Test
    void embeddedPoliciesKeepTheEnclosingPositionsAndPaths() throws Exception {
        String line = "{\"id\": \"x\", \"policy\": {\"Statement\": {\"Effect\": \"Maybe\"}}}";
        var root = (dev.gavel.json.JsonObject) new dev.gavel.json.JsonReader(1000, 10).read(line, 7);
        ParseResult result = PolicyParser.parse("case", root.get("policy"), line, "policy");
        Finding effect = result.findings().stream().filter(f -> f.code() == FindingCode.INVALID_EFFECT).findFirst()
                .orElseThrow();
        assertThat(effect.location().line()).isEqualTo(7);
        assertThat(effect.location().path()).isEqualTo("policy.Statement.Effect");
        assertThat(line.substring(effect.location().column() - 1)).startsWith("\"Maybe\"");
    }
}
