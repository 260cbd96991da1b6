package dev.gavel.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.eval.Residual;
import dev.gavel.eval.Verdict;
import org.junit.jupiter.api.Test;

/** An expected condition against residuals computed from real cases. */
class ExpectedConditionTest {

    private static final String MFA_AND_OFFICE = "{\"id\": \"c\", \"request\": {\"principal\": "
            + "\"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
            + "\"unknownContext\": true, \"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": "
            + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": "
            + "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}}], \"permissionBoundary\": {\"Version\": "
            + "\"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", "
            + "\"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}}, {\"Effect\": \"Deny\", "
            + "\"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:userid\": "
            + "\"say \\\"hi\\\"\"}}}]}}";

    private static Residual allowedWhen(String line) {
        CaseResult result = new CaseRunner().run(CaseParser.parse("cases.jsonl", 1, line));
        assertThat(result.evaluation().verdict()).isEqualTo(Verdict.CONDITIONAL);
        return result.evaluation().allowedWhen();
    }

    @Test
    void theTextGavelPrintsMatchesItsResidual() {
        Residual residual = allowedWhen(MFA_AND_OFFICE);
        assertThat(residual.text()).isEqualTo("NOT (StringEquals aws:userid [\"say \\\"hi\\\"\"]) AND Bool "
                + "aws:MultiFactorAuthPresent [\"true\"] AND IpAddress aws:SourceIp [\"203.0.113.0/24\"]");
        assertThat(ExpectedCondition.parse(residual.text()).matches(residual)).isTrue();
    }

    @Test
    void partsMayComeInAnyOrderKeysInAnyCaseAndParenthesesAndSpacesAsYouLike() {
        Residual residual = allowedWhen(MFA_AND_OFFICE);
        String reordered = "NOT (StringEquals AWS:UserId [\"say \\\"hi\\\"\"]) AND (IpAddress aws:SourceIp "
                + "[ \"203.0.113.0/24\" ]  AND Bool aws:multifactorauthpresent [\"true\"])";
        assertThat(ExpectedCondition.parse(reordered).matches(residual)).isTrue();
        assertThat(ExpectedCondition.parse(reordered).text()).isEqualTo(reordered);
    }

    @Test
    void aConditionThatSaysAnythingElseDoesNotMatch() {
        Residual residual = allowedWhen(MFA_AND_OFFICE);
        String mfa = "Bool aws:MultiFactorAuthPresent [\"true\"]";
        String office = "IpAddress aws:SourceIp [\"203.0.113.0/24\"]";
        String notUser = "NOT (StringEquals aws:userid [\"say \\\"hi\\\"\"])";
        assertThat(ExpectedCondition.parse(mfa + " AND " + office).matches(residual)).isFalse();
        assertThat(ExpectedCondition.parse(mfa + " OR " + office + " OR " + notUser).matches(residual)).isFalse();
        assertThat(ExpectedCondition.parse(mfa.replace("true", "false") + " AND " + office + " AND " + notUser)
                .matches(residual)).isFalse();
        assertThat(ExpectedCondition.parse("bool aws:MultiFactorAuthPresent [\"true\"] AND " + office + " AND "
                + notUser).matches(residual)).isFalse();
        assertThat(ExpectedCondition.parse(mfa + " AND " + office + " AND " + notUser.substring(4))
                .matches(residual)).isFalse();
        assertThat(ExpectedCondition.parse("true").matches(residual)).isFalse();
    }

    @Test
    void aResourcePatternOnAnUnknownKeyReadsAsGavelPrintsIt() {
        String line = "{\"id\": \"r\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
                + "\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, \"unknownKeys\": "
                + "[\"aws:PrincipalTag/*\"], \"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": "
                + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": "
                + "\"arn:aws:s3:::${aws:PrincipalTag/team}/*\"}}]}";
        Residual residual = allowedWhen(line);
        assertThat(residual.text()).isEqualTo(
                "resource \"arn:aws:s3:::b/k\" matches [\"arn:aws:s3:::${aws:PrincipalTag/team}/*\"]");
        assertThat(ExpectedCondition.parse(residual.text()).matches(residual)).isTrue();
        assertThat(ExpectedCondition.parse("resource \"arn:aws:s3:::b/k\" matches none of "
                + "[\"arn:aws:s3:::${aws:PrincipalTag/team}/*\"]").matches(residual)).isFalse();
    }

    @Test
    void textThatIsNotAConditionSaysWhereItStopsMakingSense() {
        assertThatThrownBy(() -> ExpectedCondition.parse(""))
                .hasMessage("at character 1: expected a test, NOT, '(', true or false, found the end");
        assertThatThrownBy(() -> ExpectedCondition.parse("Bool aws:MultiFactorAuthPresent \"true\""))
                .hasMessage("at character 33: expected '[', found '\"'");
        assertThatThrownBy(() -> ExpectedCondition.parse("StringEquals [\"payments\"]"))
                .hasMessage("at character 14: expected a context key after StringEquals, found '['");
        assertThatThrownBy(() -> ExpectedCondition.parse("Bool aws:SecureTransport [\"true\"] XOR true"))
                .hasMessage("at character 35: expected AND, OR or the end, found 'X'");
        assertThatThrownBy(() -> ExpectedCondition.parse("NOT (Bool aws:SecureTransport [\"true\"]"))
                .hasMessage("at character 39: expected ')', found the end");
        assertThatThrownBy(() -> ExpectedCondition.parse("Bool aws:SecureTransport [\"tr\\ue\"]"))
                .hasMessage("at character 32: expected four hex digits, found 'e'");
    }
}
