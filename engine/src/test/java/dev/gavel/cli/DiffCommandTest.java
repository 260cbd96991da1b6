package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gavel diff} on copies of the demo directory with one policy edited: what it lists, its
 * exit codes (1 on new access, so a CI job fails), its JSON, and comparing two versions of one policy.
 */
class DiffCommandTest {

    private static final String ACCOUNT_FILE = "accounts/111122223333.json";
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";


    private static CliRun run(String... args) {
        return CliRun.of(List.of("diff", "--no-service-catalog", "--context",
                "aws:SecureTransport=true", "--context", "aws:RequestedRegion=eu-west-1"), args);
    }

    /** A copy of the demo directory with one text of one file replaced. */
    private static Path edited(Path folder, String file, String from, String to) throws IOException {
        Path copy = folder.resolve("after");
        Path demo = Path.of("corpus", "demo");
        try (Stream<Path> paths = Files.walk(demo)) {
            for (Path path : paths.toList()) {
                Path target = copy.resolve(demo.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        Path target = copy.resolve(file);
        String text = Files.readString(target);
        assertThat(text).contains(from);
        Files.writeString(target, text.replace(from, to));
        return copy;
    }

    /** A file of the folder holding the text. */
    private static Path written(Path folder, String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void anActionAddedToAManagedPolicyIsGrantedToItsUsersAndExitsOne(@TempDir Path folder) throws Exception {
        Path after = edited(folder, ACCOUNT_FILE, "\"sqs:SendMessage\",\n                                    \"sqs:ReceiveMessage\"",
                "\"sqs:SendMessage\", \"sqs:GetQueueAttributes\",\n                                    \"sqs:ReceiveMessage\"");
        CliRun result = run("--before", "corpus/demo", "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        List<String> lines = result.out().lines().toList();
        // DeveloperAccess (group developers) gains it; DeveloperBoundary allows it, so alice has it now.
        assertThat(lines).contains("granted  user " + ALICE + " sqs:GetQueueAttributes on "
                + "arn:aws:sqs:eu-west-1:111122223333:orders (allowed)");
        assertThat(lines.stream().filter(line -> line.startsWith("granted") || line.startsWith("revoked")))
                .allSatisfy(line -> assertThat(line).startsWith("granted ").contains(" sqs:GetQueueAttributes on "));
        assertThat(lines.get(lines.size() - 1)).endsWith("principals whose policies changed");
    }

    @Test
    void anScpDenyRevokesWithoutGrantingAndExitsZero(@TempDir Path folder) throws Exception {
        Path after = edited(folder, "organization.json", "\"Action\": \"organizations:LeaveOrganization\",",
                "\"Action\": [\"organizations:LeaveOrganization\", \"s3:DeleteBucket\"],");
        CliRun result = run("--before", "corpus/demo", "--after", after.toString(), "--format", "json");
        assertThat(result.exit()).as(result.err()).isZero();
        JsonObject report = (JsonObject) new JsonReader(10_000_000, 30).read(result.out());
        assertThat(report.get("NewAccess").scalarText()).isEqualTo("false");
        assertThat(elements(report.get("Granted"))).isEmpty();
        List<JsonObject> revoked = elements(report.get("Revoked")).stream().map(JsonObject.class::cast).toList();
        // AdministratorAccess lets AdminRole delete buckets; the root's SCP now denies it.
        assertThat(revoked).extracting(change -> change.get("Principal").scalarText() + " "
                + ((JsonObject) change.get("Entry")).get("Action").scalarText())
                .contains("arn:aws:iam::111122223333:role/AdminRole s3:DeleteBucket")
                .allSatisfy(entry -> assertThat(entry).endsWith(" s3:DeleteBucket"));
    }

    @Test
    void aResourcePolicyGrantingAnOutsideAccountIsNewAccess(@TempDir Path folder) throws Exception {
        Path after = edited(folder, "resource-policies.json", "\"Service\": \"sns.amazonaws.com\"\n",
                "\"Service\": \"sns.amazonaws.com\", \"AWS\": \"arn:aws:iam::210987654321:root\"\n");
        CliRun result = run("--before", "corpus/demo", "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        // An account the directory does not hold, allowed under the statement's SourceArn condition.
        assertThat(result.out()).contains("granted  outside account arn:aws:iam::210987654321:root sqs:SendMessage on "
                + "arn:aws:sqs:eu-west-1:111122223333:orders (conditional)")
                .contains("    when: ArnEquals aws:SourceArn [\"arn:aws:sns:eu-west-1:111122223333:order-events\"]");
    }

    @Test
    void noChangeListsNothingAndComparesNobody() {
        CliRun result = run("--before", "corpus/demo", "--after", "corpus/demo");
        assertThat(result.exit()).isZero();
        assertThat(result.out().lines().toList()).containsExactly("0 granted, 0 revoked; compared 0 of 12 "
                + "principals whose policies changed");
    }

    @Test
    void aPartTheNewVersionCannotDecideIsListedAndExitsOne(@TempDir Path folder) throws Exception {
        Path before = written(folder, "v1.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
                """);
        // ${*} is a literal star: the Deny names the key "*", which the pattern reports/* also spells.
        Path after = written(folder, "v2.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
                  {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/${*}"}]}
                """);
        CliRun result = run("--type", "identity", "--before", before.toString(), "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).contains("not decided in the after version for " + DiffCommand.SUBJECT
                + ": s3:GetObject on arn:aws:s3:::reports/* (denied by a statement that names the pattern's own text)");
        CliRun json = run("--type", "identity", "--before", before.toString(), "--after", after.toString(),
                "--format", "json");
        JsonObject report = (JsonObject) new JsonReader(10_000_000, 30).read(json.out());
        assertThat(elements(report.get("NotDecided"))).singleElement().satisfies(part -> {
            assertThat(((JsonObject) part).get("Principal").scalarText()).isEqualTo(DiffCommand.SUBJECT);
            assertThat(((JsonObject) part).get("In").scalarText()).isEqualTo("after");
        });
    }

    @Test
    void twoVersionsOfOneRcpAreComparedForAUserOnItsAccountsResources(@TempDir Path folder) throws Exception {
        Path before = written(folder, "v1.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
                """);
        Path after = written(folder, "v2.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secrets/*"}]}
                """);
        CliRun result = run("--type", "rcp", "--before", before.toString(), "--after", after.toString());
        assertThat(result.exit()).as(result.err() + result.out()).isEqualTo(1);
        // The RCP no longer denies every object: the user's own Allow reaches all but secrets/*.
        assertThat(result.out()).contains("granted  user " + DiffCommand.SUBJECT + " s3:GetObject on ")
                .contains("    except arn:aws:s3:::secrets/*: rcp");
        CliRun back = run("--type", "rcp", "--before", after.toString(), "--after", before.toString());
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(back.out()).contains("revoked  user " + DiffCommand.SUBJECT + " s3:GetObject on ");
    }

    @Test
    void twoVersionsOfOneIdentityPolicyAreComparedForAUserHoldingOnlyIt(@TempDir Path folder) throws Exception {
        Path before = written(folder, "v1.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
                """);
        Path after = written(folder, "v2.json", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"},
                  {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secrets/*"}]}
                """);
        CliRun result = run("--type", "identity", "--before", before.toString(), "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).contains("granted  user " + DiffCommand.SUBJECT + " s3:GetObject on arn:aws:s3:::* "
                + "(allowed)\n").contains("    except arn:aws:s3:::secrets/*: identity policy");
        CliRun back = run("--type", "identity", "--before", after.toString(), "--after", before.toString());
        assertThat(back.exit()).isZero();
        assertThat(back.out()).contains("revoked  user " + DiffCommand.SUBJECT + " s3:GetObject on arn:aws:s3:::*");
    }

    @Test
    void aTrustPolicyOpenedToAnotherAccountGrantsIt(@TempDir Path folder) throws Exception {
        Path before = written(folder, "trust-v1.json", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
                """);
        Path after = written(folder, "trust-v2.json", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                   "Action": "sts:AssumeRole"}]}
                """);
        CliRun result = run("--type", "trust", "--before", before.toString(), "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).contains("granted  outside account arn:aws:iam::210987654321:root sts:AssumeRole on "
                + "arn:aws:iam::123456789012:role/policy-under-test (allowed)");
    }

    @Test
    void aBucketPolicyMadePublicGrantsEveryoneAndNeedsItsResource(@TempDir Path folder) throws Exception {
        Path before = written(folder, "bucket-v1.json", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::reports/*"}]}
                """);
        Path after = written(folder, "bucket-v2.json", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
                """);
        CliRun result = run("--type", "resource", "--resource", "arn:aws:s3:::reports", "--before", before.toString(),
                "--after", after.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).contains("granted  outside everyone * s3:GetObject on arn:aws:s3:::reports/* (allowed)");
        CliRun missing = run("--type", "resource", "--before", before.toString(), "--after", after.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--resource");
    }

    @Test
    void aBrokenVersionIsAUsageErrorNamingTheFile(@TempDir Path folder) throws Exception {
        Path broken = folder.resolve("broken.json");
        Files.writeString(broken, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\"}");
        CliRun result = run("--type", "identity", "--before", broken.toString(), "--after", broken.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains(broken.toString());
        assertThat(result.out()).isEmpty();
    }

    private static List<JsonValue> elements(JsonValue array) {
        return ((JsonArray) array).elements();
    }
}
