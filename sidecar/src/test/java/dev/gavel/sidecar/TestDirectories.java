package dev.gavel.sidecar;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;

/** Small directories built in code: two versions that decide the same requests differently. */
public final class TestDirectories {

    public static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    public static final String BOB = "arn:aws:iam::111122223333:user/bob";
    public static final String REPORT = "arn:aws:s3:::reports/alice/q3.csv";

    private static final String READ_REPORTS = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject",
             "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports/${aws:username}/*", "arn:aws:s3:::reports"],
             "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}""";
    private static final String TAGGED_ONLY = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Tagged", "Effect": "Allow", "Action": "s3:PutObject",
             "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}}]}""";
    private static final String DENY_READS = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "NoReads", "Effect": "Deny", "Action": "s3:Get*",
             "Resource": "*"}]}""";

    private TestDirectories() {}

    /** Alice reads her reports over TLS and puts tagged objects; with {@code denyReads}, an explicit deny takes reads away. */
    public static Directory reports(boolean denyReads) throws DirectoryException {
        return Directory.builder()
                .account("111122223333", account -> {
                    account.managedPolicy("ReadReports", READ_REPORTS).managedPolicy("TaggedOnly", TAGGED_ONLY)
                            .managedPolicy("DenyReads", DENY_READS)
                            .group("analysts", group -> group.attach("ReadReports"))
                            .user("alice", user -> {
                                user.group("analysts").attach("TaggedOnly");
                                if (denyReads) {
                                    user.attach("DenyReads");
                                }
                            })
                            .user("bob", user -> user.group("analysts"));
                })
                .build();
    }
}
