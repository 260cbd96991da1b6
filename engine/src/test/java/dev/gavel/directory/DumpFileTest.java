package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single get-account-authorization-details file as a directory: one account, named by its ARNs. */
class DumpFileTest {

    private static final String POLICY = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";

    @TempDir
    Path folder;

    private static String dump(String userAccount, String roleAccount) {
        return """
                {
                  "UserDetailList": [{"Path": "/", "UserName": "alice", "UserId": "AIDAEXAMPLE0000000001",
                    "Arn": "arn:aws:iam::%s:user/alice", "GroupList": [],
                    "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],
                  "RoleDetailList": [{"Path": "/", "RoleName": "App", "RoleId": "AROAEXAMPLE0000000001",
                    "Arn": "arn:aws:iam::%s:role/App", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}],
                  "Policies": [{"PolicyName": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "Path": "/",
                    "DefaultVersionId": "v1", "PolicyVersionList": [{"Document": %s, "VersionId": "v1", "IsDefaultVersion": true}]}]
                }
                """.formatted(userAccount, roleAccount, POLICY);
    }

    private Path write(String text) throws IOException {
        Path file = folder.resolve("authorization-details.json");
        Files.writeString(file, text);
        return file;
    }

    private static List<LoadProblem> problems(Path path) {
        try {
            DirectoryLoader.loadFolderOrDump(path);
        } catch (DirectoryException e) {
            return e.problems();
        }
        throw new AssertionError("the directory loaded");
    }

    @Test
    void aDumpFileIsADirectoryOfTheAccountItsArnsName() throws Exception {
        Directory directory = DirectoryLoader.loadFolderOrDump(write(dump("444455556666", "444455556666")));
        assertThat(directory.accounts()).singleElement().satisfies(account -> {
            assertThat(account.id()).isEqualTo("444455556666");
            assertThat(account.user("alice").accountId()).isEqualTo("444455556666");
        });
        assertThat(directory.user("arn:aws:iam::444455556666:user/alice")).isNotNull();
        assertThat(directory.role("arn:aws:iam::444455556666:role/App")).isNotNull();
        assertThat(directory.organization()).isNull();
    }

    @Test
    void aFolderStillLoadsAsAFolder() throws Exception {
        Files.createDirectories(folder.resolve("dir/accounts"));
        Files.writeString(folder.resolve("dir/accounts/444455556666.json"), dump("444455556666", "444455556666"));
        assertThat(DirectoryLoader.loadFolderOrDump(folder.resolve("dir")).account("444455556666")).isNotNull();
    }

    @Test
    void arnsOfAnotherAccountAreAProblemAtTheirPlace() throws Exception {
        Path file = write(dump("444455556666", "777788889999"));
        assertThat(problems(file)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(file.toString());
            assertThat(problem.line()).isEqualTo(6);
            assertThat(problem.column()).isEqualTo(12);
            assertThat(problem.path()).isEqualTo("RoleDetailList[0].Arn");
            assertThat(problem.message()).isEqualTo("\"arn:aws:iam::777788889999:role/App\" belongs to account "
                    + "777788889999, but the dump's first ARN, at 3:12, belongs to account 444455556666: "
                    + "a dump holds one account");
        });
    }

    @Test
    void aDumpWithoutAnAccountArnIsAProblem() throws Exception {
        String onlyAwsManaged = "{\n  \"Policies\": [{\"PolicyName\": \"ReadOnlyAccess\", \"Arn\": "
                + "\"arn:aws:iam::aws:policy/ReadOnlyAccess\", \"DefaultVersionId\": \"v1\", \"PolicyVersionList\": "
                + "[{\"Document\": " + POLICY + ", \"VersionId\": \"v1\", \"IsDefaultVersion\": true}]}]}";
        for (String text : new String[] {"{}", onlyAwsManaged, "{\"AccessKeys\": []}"}) {
            assertThat(problems(write(text))).singleElement().satisfies(problem -> {
                assertThat(problem.line()).isEqualTo(1);
                assertThat(problem.column()).isEqualTo(1);
                assertThat(problem.message()).startsWith("the dump names no account: it holds no user, group, role "
                        + "or customer managed policy whose ARN gives the account id");
            });
        }
    }

    @Test
    void anArnWhoseAccountIsNotAnAccountIdIsAProblem() throws Exception {
        String text = dump("4444", "4444");
        assertThat(problems(write(text))).extracting(LoadProblem::message).containsExactly(
                "\"arn:aws:iam::4444:user/alice\" names account \"4444\", which is not a 12-digit account id",
                "\"arn:aws:iam::4444:role/App\" names account \"4444\", which is not a 12-digit account id",
                "the dump names no account: it holds no user, group, role or customer managed policy whose ARN "
                + "gives the account id (is it the output of aws iam get-account-authorization-details?)");
    }

    @Test
    void aPathThatIsNeitherIsAProblem() {
        assertThat(problems(folder.resolve("absent.json"))).singleElement()
                .extracting(LoadProblem::format)
                .isEqualTo(folder.resolve("absent.json") + ":0:0: no directory folder or account dump file here");
    }

    @Test
    void aDumpFileIsNotAFolderForTheFolderLoader() throws Exception {
        Path file = write(dump("444455556666", "444455556666"));
        try {
            DirectoryLoader.load(file);
            throw new AssertionError("a file loaded as a folder");
        } catch (DirectoryException e) {
            assertThat(e.getMessage()).contains("not a directory folder");
        }
    }
}
