package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {

    /** What a command printed and returned. */
    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = GavelCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @TempDir
    Path folder;

    private static final String CASE = "{\"id\": \"%s\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/a\", "
            + "\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\", \"resourceAccount\": \"111122223333\"}, "
            + "\"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"Read\", \"Effect\": \"Allow\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}], \"expect\": \"%s\"}";

    @ParameterizedTest
    @ValueSource(strings = {"validate", "simulate", "test", "check", "who-can", "sts", "sts assume-role",
        "sts assume-role-with-web-identity", "sts assume-role-with-saml", "sts get-session-token", "bench"})
    void everySubcommandHasHelp(String subcommand) {
        Run help = run((subcommand + " --help").split(" "));
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: gavel " + subcommand);
    }

    @Test
    void theTopCommandListsItsSubcommandsAndNeedsOne() {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("validate", "simulate", "test");
        Run none = run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("a subcommand is required");
    }

    @Test
    void validatePrintsFindingsWithFileLineAndColumnAndFailsOnErrors() throws IOException {
        Path bad = folder.resolve("bad.json");
        Files.writeString(bad, "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}");
        Run result = run("validate", "--no-service-catalog", bad.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains(bad + ":2:26: ERROR INVALID_EFFECT effect must be \"Allow\" or \"Deny\", found \"allow\"");
        assertThat(result.err()).contains("1 file: 1 errors");
    }

    @Test
    void unknownCaseFieldsAreWarnedAboutBySimulateTestAndValidate() throws IOException {
        String misspelt = String.format(CASE, "c1", "allowed").replace("\"identityPolicies\"", "\"identityPolicys\"")
                .replace("\"expect\"", "\"x-reviewed\": true, \"expect\"");
        Path file = folder.resolve("cases.jsonl");
        Files.writeString(file, misspelt + "\n");
        String warning = file + ":1:" + (misspelt.indexOf("\"identityPolicys") + 1)
                + ": WARNING unknown field \"identityPolicys\": did you mean \"identityPolicies\"?";

        Run simulate = run("simulate", file.toString());
        assertThat(simulate.err()).contains(warning).doesNotContain("x-reviewed");
        // The misspelt field is not read: no identity policy allows the request.
        assertThat(simulate.out()).contains("\"decision\":\"implicitDeny\"");
        assertThat(simulate.exit()).isEqualTo(1);

        Run test = run("test", file.toString());
        assertThat(test.err()).contains(warning);

        Run validate = run("validate", "--no-service-catalog", file.toString());
        assertThat(validate.out()).contains(file + ":1:" + (misspelt.indexOf("\"identityPolicys") + 1)
                + ": WARNING UNKNOWN_CASE_FIELD unknown field \"identityPolicys\"");
        assertThat(validate.exit()).isZero();
    }

    @Test
    void validateReadsCaseFilesInFoldersAndChecksTheirPolicies() throws IOException {
        String allowWithNotPrincipal = String.format(CASE, "c2", "allowed").replace("\"expect\"",
                "\"resourcePolicy\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"NotPrincipal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}, "
                + "\"expect\"");
        Files.writeString(folder.resolve("more.jsonl"), "\n" + allowWithNotPrincipal + "\n");
        Run result = run("validate", "--no-service-catalog", folder.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains(folder.resolve("more.jsonl") + ":2:"
                + (allowWithNotPrincipal.indexOf("{\"AWS\": \"111122223333\"}") + 1)
                + ": ERROR ALLOW_WITH_NOT_PRINCIPAL NotPrincipal must be used with \"Effect\": \"Deny\"");
    }

    @Test
    void validateTakesAPolicyTypeAndReportsJson() throws Exception {
        Path trust = folder.resolve("trust.json");
        Files.writeString(trust, "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}}");
        assertThat(run("validate", "--no-service-catalog", trust.toString()).exit()).isZero();
        Run asIdentity = run("validate", "--no-service-catalog", "--type", "identity", "--format", "json", trust.toString());
        assertThat(asIdentity.exit()).isEqualTo(1);
        JsonArray findings = (JsonArray) new JsonReader(100_000, 10).read(asIdentity.out());
        assertThat(findings.elements()).extracting(f -> ((JsonObject) f).get("code").scalarText())
                .containsExactlyInAnyOrder("PRINCIPAL_NOT_ALLOWED", "MISSING_RESOURCE");
        assertThat(((JsonObject) findings.elements().get(0)).get("file").scalarText()).isEqualTo(trust.toString());
        Run unknownType = run("validate", "--type", "nonsense", trust.toString());
        assertThat(unknownType.exit()).isEqualTo(2);
        assertThat(unknownType.err()).contains("unknown policy type 'nonsense'");
    }

    @Test
    void validateChecksRouteTablesWhateverTheTypeAndTheShippedOneIsClean() throws IOException {
        String routes = "{\"Service\": \"execute-api\",\n \"Routes\": [{\"Method\": \"GET\", \"Path\": \"/orders/{id}\", "
                + "\"Action\": \"orders-GetOrder\", \"Resorce\": \"*\"}]}";
        Path table = folder.resolve("routes.json");
        Files.writeString(table, routes);
        String line = routes.substring(routes.indexOf('\n') + 1);

        Run result = run("validate", "--no-service-catalog", "--type", "identity", table.toString());
        Run shipped = run("validate", "--no-service-catalog", Path.of("corpus", "gateway").toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains(table + ":2:" + (line.indexOf("\"orders-GetOrder") + 1)
                + ": ERROR INVALID_ACTION Routes[0].Action: \"orders-GetOrder\" is not one action, service:Action",
                table + ":2:" + (line.indexOf("\"Resorce") + 1) + ": ERROR UNKNOWN_ROUTE_FIELD Routes[0].Resorce: "
                        + "unknown field \"Resorce\": did you mean \"Resource\"?");
        assertThat(result.err()).contains("1 file: 2 errors");
        assertThat(shipped.exit()).isZero();
        assertThat(shipped.out()).isEmpty();
        assertThat(shipped.err()).startsWith("1 file: 0 errors, 0 security warnings, 0 warnings");
    }

    @Test
    void validateSearchesFoldersAndRefusesMissingFiles() throws IOException {
        Files.createDirectories(folder.resolve("nested"));
        Files.writeString(folder.resolve("nested/ok.json"), "{\"Version\": \"2012-10-17\", \"Statement\": "
                + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}");
        Files.writeString(folder.resolve("notes.txt"), "not a policy");
        Run result = run("validate", "--no-service-catalog", folder.toString());
        assertThat(result.exit()).isZero();
        assertThat(result.err()).startsWith("1 file: 0 errors");
        Run missing = run("validate", folder.resolve("absent.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or folder");
    }

    @Test
    void simulatePrintsOneLinePerCaseInOrderAndSummarises() throws Exception {
        Path cases = folder.resolve("cases.jsonl");
        Files.writeString(cases, String.format(CASE, "one", "allowed") + "\n\n"
                + String.format(CASE, "two", "explicitDeny") + "\n{\"id\": \"three\"\n"
                + String.format(CASE, "four", "allowed").replace(", \"expect\": \"allowed\"", "") + "\n");
        Run result = run("simulate", "--explain", cases.toString());
        assertThat(result.exit()).isEqualTo(1);
        String[] lines = result.out().split("\n");
        assertThat(lines).hasSize(4);
        JsonReader reader = new JsonReader(100_000, 10);
        JsonObject first = (JsonObject) reader.read(lines[0]);
        assertThat(first.get("id").scalarText()).isEqualTo("one");
        assertThat(first.get("decision").scalarText()).isEqualTo("allowed");
        assertThat(first.get("pass").scalarText()).isEqualTo("true");
        JsonObject explanation = (JsonObject) first.get("explanation");
        assertThat(explanation.get("decidedBy").scalarText()).isEqualTo("identity");
        assertThat(((JsonObject) ((JsonArray) explanation.get("statements")).elements().get(0)).get("statement")
                .scalarText()).isEqualTo("Read");
        JsonObject second = (JsonObject) reader.read(lines[1]);
        assertThat(second.get("pass").scalarText()).isEqualTo("false");
        JsonObject third = (JsonObject) reader.read(lines[2]);
        assertThat(third.get("error").scalarText()).startsWith(cases + ":4:");
        assertThat(third.get("line").scalarText()).isEqualTo("4");
        JsonObject fourth = (JsonObject) reader.read(lines[3]);
        assertThat(fourth.get("id").scalarText()).isEqualTo("four");
        assertThat(fourth.get("pass")).isNull();
        assertThat(result.err()).contains("1 malformed case").endsWith("1 passed, 2 failed\n");
    }

    @Test
    void simulateWithAnUnknownContextPrintsConditionalAndTheCondition() throws IOException {
        Path cases = folder.resolve("office.jsonl");
        Files.writeString(cases, "{\"id\": \"office\", \"request\": {\"principal\": "
                + "\"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                + "\"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"Office\", "
                + "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": "
                + "{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}}}], \"expect\": \"implicitDeny\"}\n");
        Run decided = run("simulate", cases.toString());
        assertThat(decided.out()).isEqualTo("{\"id\":\"office\",\"decision\":\"implicitDeny\",\"expect\":"
                + "\"implicitDeny\",\"pass\":true}\n");
        Run analysed = run("simulate", "--unknown-context", cases.toString());
        assertThat(analysed.out()).isEqualTo("{\"id\":\"office\",\"decision\":\"conditional\",\"condition\":"
                + "{\"clause\":\"condition\",\"operator\":\"IpAddress\",\"key\":\"aws:SourceIp\",\"values\":"
                + "[\"203.0.113.0/24\"],\"statement\":{\"policyType\":\"identity\",\"policy\":\"identityPolicies[0]\","
                + "\"statement\":\"Office\",\"effect\":\"Allow\",\"line\":1,\"column\":198,\"path\":"
                + "\"identityPolicies[0].Statement\"}},\"expect\":\"implicitDeny\",\"pass\":false}\n");
        assertThat(analysed.exit()).isEqualTo(1);
        Run otherKey = run("simulate", "--unknown-key", "aws:ResourceTag/*", cases.toString());
        assertThat(otherKey.out()).isEqualTo(decided.out());
        assertThat(otherKey.exit()).isZero();
        Run bad = run("simulate", "--unknown-key", "team", cases.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("gavel simulate: --unknown-key: \"team\" is not a context key");
    }

    @Test
    void simulateAnalysesACaseThatNamesItsUnknownKeysAndPrintsItsExpectedCondition() throws Exception {
        Path cases = folder.resolve("mfa.jsonl");
        Files.writeString(cases, "{\"id\": \"mfa\", \"request\": {\"principal\": "
                + "\"arn:aws:iam::111122223333:user/a\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}, "
                + "\"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"Mfa\", "
                + "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": "
                + "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}}], \"unknownKeys\": "
                + "[\"aws:MultiFactorAuthPresent\"], \"expect\": \"conditional\", \"expectCondition\": "
                + "\"Bool aws:MultiFactorAuthPresent [\\\"false\\\"]\"}\n");
        Run result = run("simulate", cases.toString());
        JsonObject line = (JsonObject) new JsonReader(1_000_000, 20).read(result.out().strip());
        assertThat(line.get("decision").scalarText()).isEqualTo("conditional");
        JsonObject condition = (JsonObject) line.get("condition");
        assertThat(condition.get("operator").scalarText()).isEqualTo("Bool");
        assertThat(condition.get("key").scalarText()).isEqualTo("aws:MultiFactorAuthPresent");
        assertThat(((JsonArray) condition.get("values")).elements()).extracting(v -> v.scalarText())
                .containsExactly("true");
        assertThat(line.get("expect").scalarText()).isEqualTo("conditional");
        assertThat(line.get("expectCondition").scalarText()).isEqualTo("Bool aws:MultiFactorAuthPresent [\"false\"]");
        assertThat(line.get("pass").scalarText()).isEqualTo("false");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void simulatePassesWhenEveryCasePasses() throws IOException {
        Path cases = folder.resolve("ok.jsonl");
        Files.writeString(cases, String.format(CASE, "one", "allowed") + "\n");
        Run result = run("simulate", cases.toString());
        assertThat(result.exit()).isZero();
        assertThat(result.out()).doesNotContain("explanation");
        assertThat(result.err()).isEqualTo("1 passed, 0 failed\n");
    }

    @Test
    void testReportsEachFileAndEachFailure() throws IOException {
        Files.createDirectories(folder.resolve("a"));
        Files.writeString(folder.resolve("a/good.jsonl"), String.format(CASE, "g1", "allowed") + "\n"
                + String.format(CASE, "g2", "allowed") + "\n");
        Files.writeString(folder.resolve("bad.jsonl"), String.format(CASE, "b1", "implicitDeny") + "\n");
        Run result = run("test", folder.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains("PASS " + folder.resolve("a/good.jsonl") + " (2 cases)")
                .contains("FAIL " + folder.resolve("bad.jsonl") + " (1 cases, 1 failed)")
                .contains("  b1 (line 1): expected implicitDeny, got allowed")
                .endsWith("2 passed, 1 failed\n");
        Files.delete(folder.resolve("bad.jsonl"));
        assertThat(run("test", folder.toString()).exit()).isZero();
        assertThat(run("test", folder.resolve("nothing-here").toString()).exit()).isEqualTo(2);
    }
}
