package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.eval.RequestContext;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who-can leaves out the principals whose SCPs or permissions boundary rule an action out, and
 * still lists a bounded principal that the resource's own policy names: a boundary limits what
 * identity-based policies grant, not a same-account resource policy's grant to the caller.
 */
class WhoCanLimitsTest {

    private static final String OPEN = "111122223333";
    private static final String S3_ONLY = "444455556666";
    private static final String ALL = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            """;
    private static final String S3 = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
            """;
    private static final String LIST_ONLY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
            """;
    private static final String NAMES_BOUNDED = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:user/bounded"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::named/*"}]}
            """;

    private static WhoCan whoCan;

    @BeforeAll
    static void load() throws Exception {
        Directory directory = Directory.builder()
                .organization("o-limits", "999999999999", org -> org.scp("FullAWSAccess", ALL, true)
                        .scp("S3Only", S3, false).unit("Open", List.of("FullAWSAccess"), List.of(OPEN))
                        .unit("Storage", List.of("S3Only"), List.of(S3_ONLY)))
                .account(OPEN, account -> account
                        .managedPolicy("ListOnly", LIST_ONLY)
                        .user("free", user -> user.inline("All", ALL))
                        .user("bounded", user -> user.inline("All", ALL).boundary("ListOnly")))
                .account(S3_ONLY, account -> account.user("storage", user -> user.inline("All", ALL)))
                .resourcePolicy("arn:aws:s3:::named", OPEN, NAMES_BOUNDED)
                .build();
        whoCan = new WhoCan(Engine.of(directory));
    }

    private static List<String> users(String action, String resource) throws Exception {
        return whoCan.ask(List.of(action), resource, RequestContext.empty()).actions().get(0).principals().stream()
                .map(Grant::arn).map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).toList();
    }

    @Test
    void anScpThatAllowsOnlyS3KeepsItsAccountOutOfEverythingElse() throws Exception {
        assertThat(users("ec2:DescribeInstances", "*")).containsExactly("free");
        assertThat(users("s3:ListBucket", "arn:aws:s3:::plain")).containsExactly("bounded", "free", "storage");
    }

    @Test
    void aBoundaryLimitsIdentityGrantsButNotTheBucketPolicysGrantToTheCaller() throws Exception {
        assertThat(users("s3:GetObject", "arn:aws:s3:::plain/k")).containsExactly("free", "storage");
        // The named bucket is the open account's: storage, from another account, would need its policy too.
        assertThat(users("s3:GetObject", "arn:aws:s3:::named/k")).containsExactly("bounded", "free");
    }

    @Test
    void askingAgainAfterOtherActionsGivesTheSameAnswer() throws Exception {
        List<String> first = users("s3:GetObject", "arn:aws:s3:::named/k");
        users("ec2:DescribeInstances", "*");
        users("s3:ListBucket", "arn:aws:s3:::plain");
        assertThat(users("s3:GetObject", "arn:aws:s3:::named/k")).isEqualTo(first);
    }
}
