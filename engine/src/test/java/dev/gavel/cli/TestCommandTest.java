package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gavel test} on cases that name unknown context keys and may expect {@code conditional}. */
class TestCommandTest {


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A case on an MFA-gated Allow; {@code %s} is its id and {@code %s} the fields to add. */
    private static final String MFA_CASE = "{\"id\": \"%s\", \"request\": {\"principal\": "
            + "\"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
            + "\"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"Bool\": "
            + "{\"aws:MultiFactorAuthPresent\": \"true\"}}}}], %s}";

    @TempDir
    Path folder;

    private Path write(String... lines) throws IOException {
        Path file = folder.resolve("mfa.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void aConditionalCasePassesWhenItsConditionIsTheOneGot() throws IOException {
        Path file = write(String.format(MFA_CASE, "mfa", "\"unknownKeys\": [\"aws:MultiFactorAuthPresent\"], "
                + "\"expect\": \"conditional\", \"expectCondition\": \"Bool aws:MultiFactorAuthPresent [\\\"true\\\"]\""),
                String.format(MFA_CASE, "mfa-given", "\"unknownKeys\": [\"aws:MultiFactorAuthPresent\"], "
                        + "\"expect\": \"implicitDeny\"").replace("\"resource\": \"arn:aws:s3:::b/k\"",
                        "\"resource\": \"arn:aws:s3:::b/k\", \"context\": {\"aws:MultiFactorAuthPresent\": \"false\"}"));
        CliRun result = run("test", file.toString());
        assertThat(result.out()).isEqualTo("PASS " + file + " (2 cases)\n2 passed, 0 failed\n");
        assertThat(result.exit()).isZero();
    }

    @Test
    void aWrongConditionShowsTheExpectedAndTheComputedOne() throws IOException {
        Path file = write(String.format(MFA_CASE, "mfa", "\"unknownContext\": true, \"expect\": \"conditional\", "
                + "\"expectCondition\": \"Bool aws:MultiFactorAuthPresent [\\\"false\\\"]\""));
        CliRun result = run("test", file.toString());
        assertThat(result.out()).isEqualTo("FAIL " + file + " (1 cases, 1 failed)\n"
                + "  mfa (line 1): expected conditional when Bool aws:MultiFactorAuthPresent [\"false\"], got "
                + "conditional: allowed only when Bool aws:MultiFactorAuthPresent [\"true\"]\n"
                + "0 passed, 1 failed\n");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void aDecisionExpectedWhereTheAnswerIsConditionalShowsTheCondition() throws IOException {
        Path file = write(String.format(MFA_CASE, "mfa", "\"unknownContext\": true, \"expect\": \"allowed\""));
        CliRun result = run("test", file.toString());
        assertThat(result.out()).contains("  mfa (line 1): expected allowed, got conditional: allowed only when "
                + "Bool aws:MultiFactorAuthPresent [\"true\"]\n");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void theSameCaseWithoutUnknownKeysIsDecidedAsBefore() throws IOException {
        Path file = write(String.format(MFA_CASE, "mfa", "\"expect\": \"implicitDeny\""));
        CliRun result = run("test", file.toString());
        assertThat(result.out()).isEqualTo("PASS " + file + " (1 cases)\n1 passed, 0 failed\n");
    }

    @Test
    void aMalformedConditionalCaseIsReportedAtItsFieldAndTheOthersStillRun() throws IOException {
        String malformed = String.format(MFA_CASE, "bad", "\"expect\": \"conditional\"");
        Path file = write(String.format(MFA_CASE, "good", "\"unknownContext\": true, \"expect\": \"conditional\""),
                malformed);
        CliRun result = run("test", file.toString());
        assertThat(result.out()).isEqualTo("FAIL " + file + " (2 cases, 1 failed)\n"
                + "  bad: " + file + ":2:" + (malformed.indexOf("\"conditional\"") + 1) + ": expect: \"conditional\" "
                + "needs context keys whose values are unknown: name them in \"unknownKeys\", or set "
                + "\"unknownContext\": true\n"
                + "1 passed, 1 failed\n");
        assertThat(result.exit()).isEqualTo(1);
    }
}
