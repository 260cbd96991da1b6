package dev.gavel.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.Verdict;
import dev.gavel.policy.Finding;
import dev.gavel.policy.FindingCode;
import dev.gavel.policy.Severity;
import java.util.List;
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
        assertThat(parsed.expect()).isEqualTo(Verdict.ALLOWED);
        assertThat(parsed.knowledge()).isEqualTo(KeyKnowledge.complete());
        assertThat(parsed.expectCondition()).isNull();
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
        assertThat(parsed.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo(FindingCode.UNKNOWN_CASE_FIELD);
            assertThat(warning.message()).isEqualTo("unknown field \"unknownField\"");
            assertThat(warning.location().column()).isEqualTo(line.indexOf("\"unknownField") + 1);
        });
    }

    @Test
    void readsATextLineByLineAndNumbersLinesAsAFile() {
        String good = "{\"id\": \"a\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                + "\"action\": \"s3:GetObject\", \"resource\": \"*\"}, \"identityPolicies\": [" + POLICY + "]}";
        List<CaseLine> lines = CaseParser.read("body", good + "\r\n\n   \n{\"id\": \"b\"}\r" + good.replace("\"a\"", "\"c\""));
        assertThat(lines).extracting(CaseLine::id).containsExactly("a", "b", "c");
        assertThat(lines).extracting(CaseLine::line).containsExactly(1, 4, 5);
        assertThat(lines.get(1)).isInstanceOfSatisfying(MalformedCase.class,
                malformed -> assertThat(malformed.error()).startsWith("body:4:"));
    }

    @Test
    void warnsOfEveryUnknownFieldWithAHintAndLeavesUserFieldsAlone() {
        String line = "{\"id\": \"u\", \"note\": \"n\", \"tags\": [\"t\"], \"x-owner\": \"me\", "
                + "\"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:GetObject\", "
                + "\"resouce\": \"arn:aws:s3:::b/k\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                + "\"resourcePolicies\": [" + POLICY + "], \"endpointpolicy\": " + POLICY + "}";
        SimulationCase parsed = (SimulationCase) CaseParser.parse("cases.jsonl", 7, line);
        assertThat(parsed.warnings()).extracting(Finding::message).containsExactly(
                "unknown field \"resouce\" in request: did you mean \"resource\"?",
                "unknown field \"resourcePolicies\": did you mean \"resourcePolicy\"?",
                "unknown field \"endpointpolicy\": did you mean \"endpointPolicy\"?");
        assertThat(parsed.warnings()).allSatisfy(warning -> {
            assertThat(warning.severity()).isEqualTo(Severity.WARNING);
            assertThat(warning.source()).isEqualTo("cases.jsonl");
            assertThat(warning.location().line()).isEqualTo(7);
        });
        assertThat(parsed.warnings().get(1).location().column()).isEqualTo(line.indexOf("\"resourcePolicies") + 1);
        assertThat(parsed.warnings().get(1).location().path()).isEqualTo("resourcePolicies");
        // The misspelt fields are not read: the case has no resource or endpoint policy.
        assertThat(parsed.policies().resourcePolicy()).isNull();
        assertThat(parsed.policies().endpointPolicy()).isNull();
    }

    @Test
    void readsTheEndpointPolicyAndBlockPublicAccess() {
        String line = "{\"id\": \"e\", \"request\": {\"principal\": \"*\", \"action\": \"s3:GetObject\", "
                + "\"resource\": \"arn:aws:s3:::b/k\"}, \"endpointPolicy\": " + POLICY.replace("\"Effect\"",
                "\"Principal\": \"*\", \"Effect\"") + ", \"s3RestrictPublicBuckets\": true}";
        SimulationCase parsed = (SimulationCase) CaseParser.parse("cases.jsonl", 1, line);
        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.policies().endpointPolicy().source()).isEqualTo("endpointPolicy");
        assertThat(parsed.policies().restrictPublicBuckets()).isTrue();

        MalformedCase notS3 = (MalformedCase) CaseParser.parse("cases.jsonl", 2, "{\"id\": \"n\", \"request\": "
                + "{\"principal\": \"*\", \"action\": \"sqs:SendMessage\", \"resource\": "
                + "\"arn:aws:sqs:eu-west-1:111122223333:q\"}, \"s3RestrictPublicBuckets\": true}");
        assertThat(notS3.error()).startsWith("cases.jsonl:2:").contains("s3RestrictPublicBuckets: is a setting of S3");
        MalformedCase notBoolean = (MalformedCase) CaseParser.parse("cases.jsonl", 3, "{\"id\": \"b\", \"request\": "
                + "{\"principal\": \"*\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                + "\"s3RestrictPublicBuckets\": \"yes\"}");
        assertThat(notBoolean.problem().code()).isEqualTo(FindingCode.MALFORMED_CASE);
        assertThat(notBoolean.error()).contains("s3RestrictPublicBuckets: must be true or false, found string");
    }

    @Test
    void checkValidatesEachPolicyAsItsFieldsType() {
        String trust = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}}";
        String notPrincipalAllow = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"NotPrincipal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
        String assume = "{\"id\": \"t\", \"request\": {\"principal\": \"ec2.amazonaws.com\", "
                + "\"action\": \"sts:AssumeRole\", \"resource\": \"arn:aws:iam::111122223333:role/r\"}, "
                + "\"resourcePolicy\": " + trust + "}";
        assertThat(CaseParser.check("cases.jsonl", 4, assume, null)).singleElement().satisfies(finding -> {
            assertThat(finding.code()).isEqualTo(FindingCode.RESOURCE_NOT_ALLOWED);
            assertThat(finding.source()).isEqualTo("cases.jsonl");
            assertThat(finding.location().line()).isEqualTo(4);
            assertThat(finding.location().column()).isEqualTo(assume.indexOf("\"*\"}}") + 1);
        });
        String read = "{\"id\": \"r\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                + "\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, \"resourcePolicy\": \""
                + notPrincipalAllow.replace("\"", "\\\"") + "\", \"bogus\": 1}";
        List<Finding> findings = CaseParser.check("cases.jsonl", 5, read, null);
        assertThat(findings).extracting(Finding::code)
                .containsExactly(FindingCode.ALLOW_WITH_NOT_PRINCIPAL, FindingCode.UNKNOWN_CASE_FIELD);
        // A policy passed as a string is reported at the string, with the field in its path.
        assertThat(findings.get(0).location().column()).isEqualTo(read.indexOf("\"{") + 1);
        assertThat(findings.get(0).location().path()).startsWith("resourcePolicy.Statement");
        assertThat(CaseParser.check("cases.jsonl", 6, "{\"id\": ", null)).extracting(Finding::code)
                .containsExactly(FindingCode.MALFORMED_CASE);
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

    /** A case on an MFA-gated Allow, with the given fields added. */
    private static String mfaCase(String fields) {
        return "{\"id\": \"k\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                + "\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, \"identityPolicies\": "
                + "[{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}}], "
                + fields + "}";
    }

    private static String error(String line) {
        return ((MalformedCase) CaseParser.parse("cases.jsonl", 7, line)).error();
    }

    @Test
    void readsUnknownKeysTheUnknownContextFlagAndTheExpectedCondition() {
        SimulationCase keys = (SimulationCase) CaseParser.parse("cases.jsonl", 1, mfaCase("\"unknownKeys\": "
                + "[\"aws:MultiFactorAuthPresent\", \"aws:ResourceTag/*\"], \"expect\": \"conditional\", "
                + "\"expectCondition\": \"Bool aws:MultiFactorAuthPresent [\\\"true\\\"]\""));
        assertThat(keys.knowledge()).isEqualTo(new KeyKnowledge(false,
                List.of("aws:MultiFactorAuthPresent", "aws:ResourceTag/*"), List.of()));
        assertThat(keys.expect()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(keys.expectCondition().text()).isEqualTo("Bool aws:MultiFactorAuthPresent [\"true\"]");
        assertThat(keys.warnings()).isEmpty();

        SimulationCase context = (SimulationCase) CaseParser.parse("cases.jsonl", 1,
                mfaCase("\"unknownContext\": true, \"expect\": \"conditional\""));
        assertThat(context.knowledge()).isEqualTo(KeyKnowledge.unknownContext());
        assertThat(context.expectCondition()).isNull();

        SimulationCase off = (SimulationCase) CaseParser.parse("cases.jsonl", 1,
                mfaCase("\"unknownContext\": false, \"unknownKeys\": [], \"expect\": \"implicitDeny\""));
        assertThat(off.knowledge()).isEqualTo(KeyKnowledge.complete());
    }

    @Test
    void conditionalWithoutUnknownKeysIsRefusedAtExpect() {
        String line = mfaCase("\"unknownKeys\": [], \"expect\": \"conditional\"");
        assertThat(error(line)).isEqualTo("cases.jsonl:7:" + (line.indexOf("\"conditional\"") + 1) + ": expect: "
                + "\"conditional\" needs context keys whose values are unknown: name them in \"unknownKeys\", or set "
                + "\"unknownContext\": true");
        String unknownValue = mfaCase("\"unknownContext\": true, \"expect\": \"maybe\"");
        assertThat(error(unknownValue)).isEqualTo("cases.jsonl:7:" + (unknownValue.indexOf("\"maybe\"") + 1)
                + ": expect: must be \"allowed\", \"explicitDeny\", \"implicitDeny\" or \"conditional\", found \"maybe\"");
    }

    @Test
    void badUnknownKeysAndFlagsNameTheirField() {
        String flag = mfaCase("\"unknownContext\": \"yes\"");
        assertThat(error(flag)).isEqualTo("cases.jsonl:7:" + (flag.indexOf("\"yes\"") + 1)
                + ": unknownContext: must be true or false, found string");
        assertThat(error(mfaCase("\"unknownKeys\": \"aws:SourceIp\""))).endsWith(": unknownKeys: must be an array, "
                + "found string");
        assertThat(error(mfaCase("\"unknownKeys\": [\"aws:SourceIp\", 3]"))).endsWith(": unknownKeys[1]: must be "
                + "a context key or pattern as a string, found number");
        String notAKey = mfaCase("\"unknownKeys\": [\"aws:SourceIp\", \"team\"]");
        assertThat(error(notAKey)).isEqualTo("cases.jsonl:7:" + (notAKey.indexOf("\"team\"") + 1) + ": unknownKeys[1]: "
                + "\"team\" is not a context key (service:name, such as aws:SourceIp) or a pattern of them (such as "
                + "aws:ResourceTag/*)");
    }

    @Test
    void anExpectedConditionNeedsAConditionalExpectationAndMustReadAsOne() {
        String decided = mfaCase("\"unknownContext\": true, \"expect\": \"allowed\", \"expectCondition\": \"true\"");
        assertThat(error(decided)).isEqualTo("cases.jsonl:7:" + (decided.lastIndexOf("\"true\"") + 1)
                + ": expectCondition: is the condition of a conditional answer, and the case expects \"allowed\": "
                + "add \"expect\": \"conditional\"");
        assertThat(error(mfaCase("\"unknownContext\": true, \"expectCondition\": \"true\""))).endsWith(
                ": expectCondition: is the condition of a conditional answer, and the case expects no answer: add "
                        + "\"expect\": \"conditional\"");
        String malformed = mfaCase("\"unknownContext\": true, \"expect\": \"conditional\", \"expectCondition\": "
                + "\"Bool aws:MultiFactorAuthPresent true\"");
        assertThat(error(malformed)).isEqualTo("cases.jsonl:7:" + (malformed.lastIndexOf("\"Bool") + 1)
                + ": expectCondition: is not a condition as Gavel prints one: at character 33: expected '[', found 't'");
    }
}
