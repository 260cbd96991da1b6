package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gavel who-can} on the demo directory: its text and JSON, its exit codes, its errors. */
class WhoCanCommandTest {

    private static final String REPORTS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ba0987654321";


    private static CliRun run(String... args) {
        return CliRun.of(List.of("who-can", "--directory", "corpus/demo",
                "--context", "aws:SecureTransport=true", "--context", "aws:RequestedRegion=eu-west-1"), args);
    }

    @Test
    void textListsEachAllowedPrincipalWithItsStatementsThenTheCoverage() {
        CliRun result = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--format", "text");
        assertThat(result.exit()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("kms:Decrypt on " + REPORTS_KEY + " (access level Write, inferred)");
        assertThat(lines.get(1)).isEqualTo("  allowed     role  arn:aws:iam::111122223333:role/SamlAnalystRole");
        assertThat(lines.get(2)).startsWith("      resource policy " + REPORTS_KEY + " statement AllowReportReaders at ");
        assertThat(lines.get(3)).isEqualTo("  allowed     role  arn:aws:iam::111122223333:role/VendorAuditRole");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("examined 4 accounts (111122223333, 444455556666, "
                + "777788889999, 999988887777): 6 users, 6 roles (as any session)");
    }

    @Test
    void jsonHasOneEntryPerActionWithPrincipalsOutsidersAndCoverage() throws Exception {
        CliRun result = run("--action", "sqs:SendMessage", "s3:GetObject", "--resource",
                "arn:aws:sqs:eu-west-1:111122223333:orders", "--context",
                "aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:order-events");
        assertThat(result.exit()).isZero();
        JsonObject report = (JsonObject) new JsonReader(1_000_000, 20).read(result.out());
        assertThat(report.get("Resource").scalarText()).isEqualTo("arn:aws:sqs:eu-west-1:111122223333:orders");
        List<JsonObject> actions = objects(report.get("Actions"));
        assertThat(actions).extracting(a -> a.get("Action").scalarText()).containsExactly("sqs:SendMessage",
                "s3:GetObject");
        JsonObject send = actions.get(0);
        assertThat(send.get("AccessLevel").scalarText()).isEqualTo("Write");
        JsonObject appRole = objects(send.get("Principals")).stream()
                .filter(p -> p.get("Arn").scalarText().endsWith(":role/AppRole")).findFirst().orElseThrow();
        assertThat(appRole.get("Type").scalarText()).isEqualTo("role");
        assertThat(appRole.get("Verdict").scalarText()).isEqualTo("allowed");
        assertThat(((JsonArray) appRole.get("SessionKeys")).elements()).isEmpty();
        JsonObject statement = objects(appRole.get("MatchedStatements")).get(0);
        assertThat(statement.get("StatementId").scalarText()).isEqualTo("AllowAppRoleSend");
        assertThat(statement.get("SourcePolicyType").scalarText()).isEqualTo("resource");
        assertThat(Integer.parseInt(((JsonObject) statement.get("StartPosition")).get("Line").scalarText())).isPositive();
        JsonObject sns = objects(send.get("Outside")).get(0);
        assertThat(sns.get("Kind").scalarText()).isEqualTo("service");
        assertThat(sns.get("Named").scalarText()).isEqualTo("sns.amazonaws.com");
        assertThat(sns.get("NeedsOwnIdentityPolicies").scalarText()).isEqualTo("false");
        assertThat(sns.get("Verdict").scalarText()).isEqualTo("allowed");
        assertThat(sns.get("Condition")).isNull();
        // s3:GetObject on a queue: no statement anywhere covers it but AdministratorAccess.
        assertThat(objects(actions.get(1).get("Principals"))).extracting(p -> p.get("Arn").scalarText())
                .containsExactly("arn:aws:iam::111122223333:user/carol", "arn:aws:iam::111122223333:role/AdminRole");
        JsonObject coverage = (JsonObject) report.get("Coverage");
        assertThat(coverage.get("Users").scalarText()).isEqualTo("6");
        assertThat(coverage.get("Roles").scalarText()).isEqualTo("6");
        assertThat(((JsonArray) coverage.get("Accounts")).elements()).hasSize(4);
        assertThat(((JsonArray) coverage.get("NotInDirectory")).elements()).isEmpty();
    }

    @Test
    void transitiveNamesTheRolesAPrincipalGoesThrough() {
        CliRun result = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--context",
                "sts:ExternalId=vendor-7f3a91", "--transitive", "1", "--format", "text");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("  allowed     user  arn:aws:iam::777788889999:user/auditor\n"
                + "      by assuming arn:aws:iam::111122223333:role/VendorAuditRole\n");
    }

    @Test
    void aConditionalChainSaysWhichStepItsConditionComesFrom() throws Exception {
        CliRun text = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--transitive", "1", "--format", "text");
        assertThat(text.out()).contains("  conditional user  arn:aws:iam::777788889999:user/auditor\n"
                + "      when: StringEquals sts:ExternalId [\"vendor-7f3a91\"]\n"
                + "      by assuming arn:aws:iam::111122223333:role/VendorAuditRole\n"
                + "      step 1, assuming arn:aws:iam::111122223333:role/VendorAuditRole, when: StringEquals "
                + "sts:ExternalId [\"vendor-7f3a91\"]\n");
        CliRun json = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--transitive", "1");
        JsonObject report = (JsonObject) new JsonReader(1_000_000, 20).read(json.out());
        JsonObject auditor = objects(objects(report.get("Actions")).get(0).get("Principals")).stream()
                .filter(p -> p.get("Arn").scalarText().endsWith(":user/auditor")).findFirst().orElseThrow();
        List<JsonValue> steps = ((JsonArray) auditor.get("StepConditions")).elements();
        assertThat(steps).hasSize(2);
        assertThat(((JsonObject) steps.get(0)).get("key").scalarText()).isEqualTo("sts:ExternalId");
        assertThat(steps.get(1).scalarText()).isEqualTo("true");
    }

    @Test
    void aConditionalEntryPrintsItsConditionAsTextAndAsCheckWritesItInJson() throws Exception {
        // DeployRole's DeployToItsEnvironment allows any function whose environment tag is the session's own;
        // neither tag is known, so the role is conditional on that test (see WhoCanTest).
        String function = "arn:aws:lambda:eu-west-1:111122223333:function:orders-worker";
        CliRun text = run("--action", "lambda:UpdateFunctionCode", "--resource", function, "--format", "text");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("  conditional role  arn:aws:iam::111122223333:role/DeployRole\n"
                + "      when: StringEquals aws:ResourceTag/environment [\"${aws:PrincipalTag/environment}\"]\n"
                + "      depends on the session by aws:PrincipalTag/environment\n"
                + "      identity policy role DeployRole inline policy DeployPaymentsService statement "
                + "DeployToItsEnvironment at ");
        CliRun json = run("--action", "lambda:UpdateFunctionCode", "--resource", function);
        JsonObject report = (JsonObject) new JsonReader(1_000_000, 20).read(json.out());
        JsonObject deploy = objects(objects(report.get("Actions")).get(0).get("Principals")).stream()
                .filter(p -> p.get("Arn").scalarText().endsWith(":role/DeployRole")).findFirst().orElseThrow();
        assertThat(deploy.get("Verdict").scalarText()).isEqualTo("conditional");
        JsonObject condition = (JsonObject) deploy.get("Condition");
        assertThat(condition.get("clause").scalarText()).isEqualTo("condition");
        assertThat(condition.get("operator").scalarText()).isEqualTo("StringEquals");
        assertThat(condition.get("key").scalarText()).isEqualTo("aws:ResourceTag/environment");
        assertThat(((JsonArray) condition.get("values")).elements()).extracting(v -> v.scalarText())
                .containsExactly("${aws:PrincipalTag/environment}");
        assertThat(((JsonObject) condition.get("statement")).get("statement").scalarText())
                .isEqualTo("DeployToItsEnvironment");
        JsonObject admin = objects(objects(report.get("Actions")).get(0).get("Principals")).stream()
                .filter(p -> p.get("Arn").scalarText().endsWith(":role/AdminRole")).findFirst().orElseThrow();
        assertThat(admin.get("Condition")).isNull();
    }

    @Test
    void anOutsidePrincipalAllowedUnderAConditionPrintsItToo() throws Exception {
        // Without aws:SourceArn, the queue admits SNS only from the order-events topic.
        String queue = "arn:aws:sqs:eu-west-1:111122223333:orders";
        CliRun text = run("--action", "sqs:SendMessage", "--resource", queue, "--format", "text");
        assertThat(text.out()).contains("  conditional outside service sns.amazonaws.com\n"
                + "      when: ArnEquals aws:SourceArn [\"arn:aws:sns:eu-west-1:111122223333:order-events\"]\n"
                + "      resource policy " + queue + " statement AllowOrderEventsTopic at ");
        CliRun json = run("--action", "sqs:SendMessage", "--resource", queue);
        JsonObject report = (JsonObject) new JsonReader(1_000_000, 20).read(json.out());
        JsonObject sns = objects(objects(report.get("Actions")).get(0).get("Outside")).get(0);
        assertThat(sns.get("Verdict").scalarText()).isEqualTo("conditional");
        JsonObject condition = (JsonObject) sns.get("Condition");
        assertThat(condition.get("operator").scalarText()).isEqualTo("ArnEquals");
        assertThat(condition.get("key").scalarText()).isEqualTo("aws:SourceArn");
    }

    @Test
    void nobodyExitsOne() {
        // The reports key's policy names no principal for kms:Encrypt, and it does not delegate to IAM.
        CliRun result = run("--action", "kms:Encrypt", "--resource", REPORTS_KEY, "--format", "text");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains("kms:Encrypt on " + REPORTS_KEY + " (access level Write, inferred)\n  nobody\n");
    }

    @Test
    void badActionsResourcesAndContextKeysAreUsageErrorsNamingWhatIsWrong() {
        CliRun action = run("--action", "kmsDecrypt", "--resource", REPORTS_KEY);
        assertThat(action.exit()).isEqualTo(2);
        assertThat(action.err()).contains("gavel who-can: action: \"kmsDecrypt\" is not service:Action");
        CliRun resource = run("--action", "kms:Decrypt", "--resource", "key/1234");
        assertThat(resource.exit()).isEqualTo(2);
        assertThat(resource.err()).contains("gavel who-can: resource: \"key/1234\" is neither an ARN nor *");
        CliRun filled = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--context", "aws:userid=AIDA1");
        assertThat(filled.exit()).isEqualTo(2);
        assertThat(filled.err()).contains("context.aws:userid");
        CliRun steps = run("--action", "kms:Decrypt", "--resource", REPORTS_KEY, "--transitive", "6");
        assertThat(steps.exit()).isEqualTo(2);
        assertThat(steps.err()).contains("gavel who-can: transitive: the longest chain of roles followed is 5, not 6");
        CliRun missing = run("--action", "kms:Decrypt");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--resource");
    }

    private static List<JsonObject> objects(Object array) {
        return ((JsonArray) array).elements().stream().map(JsonObject.class::cast).toList();
    }
}
