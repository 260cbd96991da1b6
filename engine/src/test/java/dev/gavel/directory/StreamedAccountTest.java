package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.policy.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Account files read entity by entity: the same results as reading them whole, with equal values shared. */
class StreamedAccountTest {

    private static final String ACCOUNT = "111122223333";

    @TempDir
    Path folder;

    private static String user(int i, String extra) {
        return "{\"Path\": \"/\", \"UserName\": \"user" + i + "\", \"UserId\": \"AIDA" + i + "\", \"Arn\": \"arn:aws:iam::"
                + ACCOUNT + ":user/user" + i + "\", \"GroupList\": [\"devs\"], \"AttachedManagedPolicies\": "
                + "[{\"PolicyName\": \"Read\", \"PolicyArn\": \"arn:aws:iam::" + ACCOUNT + ":policy/Read\"}], "
                + "\"Tags\": [{\"Key\": \"team\", \"Value\": \"payments\"}]" + extra + "}";
    }

    private static String document(int statements) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            list.add("{\"Sid\": \"S" + i + "\",\n        \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],"
                    + "\n        \"Resource\": \"arn:aws:s3:::some-bucket-" + i + "/*\"}");
        }
        return "{\"Version\": \"2012-10-17\",\n      \"Statement\": [" + String.join(", ", list) + "]}";
    }

    /** An account of {@code count} users (the one at {@code special} with {@code extra}), its group and its policy. */
    private Path account(int count, int special, String extra, String tail) throws Exception {
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < count; i++) {
            users.append(i == 0 ? "" : ",\n    ").append(user(i, i == special ? extra : ""));
        }
        String text = "{\"UserDetailList\": [\n    " + users + "],\n"
                + " \"GroupDetailList\": [{\"Path\": \"/\", \"GroupName\": \"devs\", \"Arn\": \"arn:aws:iam::" + ACCOUNT
                + ":group/devs\"}],\n"
                + " \"Policies\": [{\"PolicyName\": \"Read\", \"Arn\": \"arn:aws:iam::" + ACCOUNT + ":policy/Read\", "
                + "\"DefaultVersionId\": \"v1\", \"PolicyVersionList\": [{\"Document\": " + document(1)
                + ", \"VersionId\": \"v1\", \"IsDefaultVersion\": true}]}]" + tail + "}";
        Files.createDirectories(folder.resolve("accounts"));
        Path file = folder.resolve("accounts").resolve(ACCOUNT + ".json");
        Files.writeString(file, text);
        return file;
    }

    private List<LoadProblem> problems() {
        try {
            DirectoryLoader.load(folder);
        } catch (DirectoryException e) {
            return e.problems();
        }
        throw new AssertionError("the directory loaded");
    }

    @Test
    void aQuotaCountsTheDocumentsOwnCharactersWhereverItSitsInALargeFile() throws Exception {
        String inline = document(9);
        int size = PolicyParser.parse("alone", inline).policy().compactLength();
        assertThat(size).isBetween(1_025, 2_047);
        // Two copies go over the user-inline quota of 2,048; the user sits far past the parser's first read blocks.
        account(3_000, 2_345, ", \"UserPolicyList\": [{\"PolicyName\": \"a\", \"PolicyDocument\": " + inline
                + "}, {\"PolicyName\": \"b\", \"PolicyDocument\": " + inline + "}]", "");
        assertThat(problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("UserDetailList[2345]");
            assertThat(problem.line()).isEqualTo(2_347);
            assertThat(problem.message()).isEqualTo("the inline policies of user user2345 total " + 2 * size
                    + " characters other than whitespace, over the user-inline quota of 2048");
        });
    }

    @Test
    void equalValuesAreSharedByTheEntitiesThatHoldThem() throws Exception {
        String inline = ", \"UserPolicyList\": [{\"PolicyName\": \"own\", \"PolicyDocument\": " + document(1) + "}]";
        account(3, -1, "", "");
        Files.writeString(folder.resolve("accounts").resolve(ACCOUNT + ".json"),
                Files.readString(folder.resolve("accounts").resolve(ACCOUNT + ".json"))
                        .replace("\"Tags\": [{\"Key\": \"team\", \"Value\": \"payments\"}]}", "\"Tags\": [{\"Key\": "
                                + "\"team\", \"Value\": \"payments\"}]" + inline + "}"));
        Files.writeString(folder.resolve("access-keys.json"), "{\"AccessKeys\": [{\"AccessKeyId\": "
                + "\"AKIAEXAMPLE000000001\", \"SecretAccessKey\": \"" + "s".repeat(40) + "\", \"UserArn\": "
                + "\"arn:aws:iam::" + ACCOUNT + ":user/user1\", \"Status\": \"Active\", \"CreateDate\": "
                + "\"2025-01-01T00:00:00Z\"}]}");
        Directory directory = DirectoryLoader.load(folder);
        Account account = directory.account(ACCOUNT);
        User one = account.user("user1");
        User two = account.user("user2");
        assertThat(two.groupNames()).isSameAs(one.groupNames());
        assertThat(two.attachedPolicyArns()).isSameAs(one.attachedPolicyArns());
        assertThat(two.tags()).isSameAs(one.tags());
        assertThat(two.path()).isSameAs(one.path());
        assertThat(one.attachedPolicyArns().get(0)).isSameAs(account.policy(one.attachedPolicyArns().get(0)).arn());
        // Each user keeps its own inline policy, named for it, with its own place in the file...
        assertThat(one.inlinePolicies().get(0).document().source()).isEqualTo("user user1 inline policy own");
        assertThat(one.inlinePolicies().get(0).document().location().line())
                .isNotEqualTo(two.inlinePolicies().get(0).document().location().line());
        assertThat(two.inlinePolicies().get(0).document().statements().get(0).location().path())
                .isEqualTo("UserDetailList[2].UserPolicyList[0].PolicyDocument.Statement[0]");
        // ...and shares the text of its actions and resources with every other copy.
        assertThat(two.inlinePolicies().get(0).document().statements().get(0).action().patterns().get(0).value())
                .isSameAs(one.inlinePolicies().get(0).document().statements().get(0).action().patterns().get(0).value());
        assertThat(directory.accessKey("AKIAEXAMPLE000000001").userArn()).isSameAs(one.arn());
    }

    @Test
    void aFileThatTurnsOutNotToBeJsonHasThatOneProblemOnly() throws Exception {
        // Problems of the entities read before the syntax error are dropped, as when a file is read whole.
        account(50, 3, ", \"PermissionsBoundary\": {\"PermissionsBoundaryArn\": \"arn:aws:iam::" + ACCOUNT
                + ":policy/Missing\"}", ", \"RoleDetailList\": [{\"RoleName\": \"r\"},]");
        assertThat(problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEmpty();
            assertThat(problem.line()).isEqualTo(56);
            assertThat(problem.message()).startsWith("Unexpected character (']'");
        });
    }
}
