package dev.gavel.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.Decision;
import org.junit.jupiter.api.Test;

class CaseParserTest {

    private static final String POLICY = "{\"Version\": \"2012-10-17\", \"Statement\": "
            + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";

    @Test
    void readsEveryPartOfACase() {
        String line = "{\"id\": \"c1\", \"note\": \"n\", \"unknownField\": 1, \"request\": {\"principal\": "
                + "\"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\", "
                + "\"resourceAccount\": \"111122223333\", \"context\": {\"aws:SourceIp\": \"10.0.0.1\", "
                + "\"aws:TagKeys\": [\"a\", \"b\"], \"aws:MultiFactorAuthAge\": 30}}, "
                + "\"identityPolicies\": [" + POLICY + "], \"permissionBoundary\": " + POLICY + ", "
                + "\"sessionPolicy\": " + POLICY + ", \"resourcePolicy\": null, "
                + "\"scps\": [[" + POLICY + "], [" + POLICY + ", " + POLICY + "]], \"rcps\": [[]], \"expect\": \"allowed\"}";
        SimulationCase parsed = (SimulationCase) CaseParser.parse("cases.jsonl", 3, line);
        assertThat(parsed.id()).isEqualTo("c1");
        assertThat(parsed.line()).isEqualTo(3);
        assertThat(parsed.expect()).isEqualTo(Decision.ALLOWED);
        assertThat(parsed.note()).isEqualTo("n");
        assertThat(parsed.request().context().single("aws:sourceip")).isEqualTo("10.0.0.1");
        assertThat(parsed.request().context().get("aws:TagKeys").multivalued()).isTrue();
        assertThat(parsed.request().context().single("aws:MultiFactorAuthAge")).isEqualTo("30");
        assertThat(parsed.policies().identityPolicies()).hasSize(1);
        assertThat(parsed.policies().identityPolicies().get(0).source()).isEqualTo("identityPolicies[0]");
        assertThat(parsed.policies().scps()).hasSize(2);
        assertThat(parsed.policies().scps().get(1).get(1).source()).isEqualTo("scps[1][1]");
        assertThat(parsed.policies().rcps()).singleElement().satisfies(level -> assertThat(level).isEmpty());
        assertThat(parsed.policies().resourcePolicy()).isNull();
    }

    @Test
    void acceptsPoliciesPassedAsStrings() {
        String line = "{\"id\": \"s\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                + "\"action\": \"s3:GetObject\", \"resource\": \"*\"}, \"identityPolicies\": [\""
                + POLICY.replace("\"", "\\\"") + "\"]}";
        SimulationCase parsed = (SimulationCase) CaseParser.parse("f", 1, line);
        assertThat(parsed.policies().identityPolicies()).hasSize(1);
        assertThat(parsed.expect()).isNull();
    }

    @Test
    void aBrokenLineNamesFileLineColumnAndPath() {
        MalformedCase json = (MalformedCase) CaseParser.parse("cases.jsonl", 9, "{\"id\": \"x\", ");
        assertThat(json.id()).isNull();
        assertThat(json.error()).startsWith("cases.jsonl:9:");

        MalformedCase missing = (MalformedCase) CaseParser.parse("cases.jsonl", 2,
                "{\"id\": \"m\", \"request\": {\"action\": \"s3:GetObject\", \"resource\": \"*\"}}");
        assertThat(missing.id()).isEqualTo("m");
        assertThat(missing.error()).isEqualTo("cases.jsonl:2:24: request: missing \"principal\"");

        MalformedCase badPolicy = (MalformedCase) CaseParser.parse("cases.jsonl", 4,
                "{\"id\": \"p\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:X\", "
                        + "\"resource\": \"*\"}, \"identityPolicies\": [{\"Statement\": {\"Effect\": \"Permit\", "
                        + "\"Action\": \"*\", \"Resource\": \"*\"}}]}");
        assertThat(badPolicy.error()).startsWith("cases.jsonl:4:")
                .contains("identityPolicies[0].Statement.Effect: INVALID_EFFECT");

        MalformedCase badExpect = (MalformedCase) CaseParser.parse("cases.jsonl", 5,
                "{\"id\": \"e\", \"request\": {\"principal\": \"p\", \"action\": \"a:b\", \"resource\": \"*\"}, \"expect\": \"deny\"}");
        assertThat(badExpect.error()).contains("expect: must be \"allowed\"");

        MalformedCase badContext = (MalformedCase) CaseParser.parse("cases.jsonl", 6,
                "{\"id\": \"c\", \"request\": {\"principal\": \"p\", \"action\": \"a:b\", \"resource\": \"*\", "
                        + "\"context\": {\"k\": {\"nested\": 1}}}}");
        assertThat(badContext.error()).contains("request.context.k");
    }
}
