package dev.gavel.bench;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The directories the benchmarks decide on, built in code with a seeded generator so that every
 * run measures the same policies:
 *
 * <ul>
 *   <li>{@link #userWithStatements}: a user whose policies hold N statements over wildcard ARNs,
 *       a fifth of them with conditions and a tenth of them denies, in policies of 500 statements;
 *   <li>{@link #managedRoleSession}: a role with ten AWS managed policies (ReadOnlyAccess among
 *       them, read from {@code ../shared/corpus/aws-managed}), a permissions boundary, SCPs at
 *       two levels, and a session key, so that a session with a session policy can be issued.
 * </ul>
 */
public final class Scenarios {

    public static final String ACCOUNT = "111122223333";
    public static final String USER = "arn:aws:iam::" + ACCOUNT + ":user/bench";
    public static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/BenchRole";
    public static final byte[] SESSION_KEY = "gavel-benchmark-session-key-0001".getBytes(StandardCharsets.US_ASCII);

    /** The object whose bucket statement number {@code statements / 2} allows reading. */
    public static String allowedObject(int statements) {
        return "arn:aws:s3:::bench-bucket-" + (statements / 2) + "/reports/2026/q3.csv";
    }

    /** An object no statement names: the request falls through to the default deny. */
    public static final String UNLISTED_OBJECT = "arn:aws:s3:::unlisted-bucket/reports/2026/q3.csv";

    private static final String[] ACTIONS = {"s3:GetObject", "s3:Get*", "s3:List*", "s3:PutObject",
        "dynamodb:Query", "dynamodb:Get*", "sqs:SendMessage", "sqs:Receive*", "kms:Decrypt", "ec2:Describe*",
        "lambda:InvokeFunction", "logs:PutLogEvents", "sns:Publish", "secretsmanager:GetSecretValue"};

    private Scenarios() {}

    /**
     * Distinct string objects with the same text, to cycle through: a request's resource is a new
     * string every time, so a check must not find the one it read last.
     */
    public static String[] copies(String text, int count) {
        String[] copies = new String[count];
        for (int i = 0; i < count; i++) {
            copies[i] = new String(text.toCharArray());
        }
        return copies;
    }

    /**
     * A user with {@code statements} statements. Statement {@code i} names {@code bench-bucket-i}
     * (or a table, queue, key... for other services); the one at {@code statements / 2} allows
     * {@code s3:GetObject} on its bucket with no condition.
     */
    public static Directory userWithStatements(int statements, long seed) {
        Random random = new Random(seed);
        List<String> policies = new ArrayList<>();
        StringBuilder current = null;
        int inPolicy = 0;
        for (int i = 0; i < statements; i++) {
            if (current == null) {
                current = new StringBuilder("{\"Version\": \"2012-10-17\", \"Statement\": [");
                inPolicy = 0;
            }
            current.append(inPolicy == 0 ? "" : ",\n").append(statement(i, i == statements / 2, random));
            if (++inPolicy == 500 || i == statements - 1) {
                policies.add(current.append("]}").toString());
                current = null;
            }
        }
        try {
            return Directory.builder().account(ACCOUNT, account -> {
                for (int p = 0; p < policies.size(); p++) {
                    account.awsManagedPolicy("BenchPolicy" + p, policies.get(p));
                }
                account.user("bench", user -> {
                    for (int p = 0; p < policies.size(); p++) {
                        user.attach("arn:aws:iam::aws:policy/BenchPolicy" + p);
                    }
                });
            }).build();
        } catch (DirectoryException e) {
            throw new IllegalStateException("the generated directory must load: " + e.getMessage(), e);
        }
    }

    private static String statement(int i, boolean theAllowedOne, Random random) {
        if (theAllowedOne) {
            return "{\"Sid\": \"S" + i + "\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                    + "\"Resource\": \"arn:aws:s3:::bench-bucket-" + i + "/*\"}";
        }
        String action = ACTIONS[random.nextInt(ACTIONS.length)];
        String service = action.substring(0, action.indexOf(':'));
        String resource = switch (service) {
            case "s3" -> "arn:aws:s3:::bench-bucket-" + i + "/*";
            case "dynamodb" -> "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/bench-table-" + i;
            case "sqs" -> "arn:aws:sqs:*:" + ACCOUNT + ":bench-queue-" + i + "*";
            case "kms" -> "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/bench-key-" + i;
            case "lambda" -> "arn:aws:lambda:*:" + ACCOUNT + ":function:bench-fn-" + i + "*";
            default -> "*";
        };
        boolean deny = random.nextInt(10) == 0;
        String condition = "";
        if (random.nextInt(5) == 0) {
            condition = switch (random.nextInt(3)) {
                case 0 -> ", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": [\"10." + random.nextInt(256)
                        + ".0.0/16\", \"192.0.2.0/24\"]}}";
                case 1 -> ", \"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": [\"eu-west-1\", \"us-east-1\"]}}";
                default -> ", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"" + !deny + "\"}}";
            };
        }
        return "{\"Sid\": \"S" + i + "\", \"Effect\": \"" + (deny ? "Deny" : "Allow") + "\", \"Action\": \"" + action
                + "\", \"Resource\": \"" + resource + "\"" + condition + "}";
    }

    /** The AWS managed policies a read-mostly operations role carries, ReadOnlyAccess first. */
    static final String[] MANAGED = {"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess",
        "CloudWatchReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess", "AWSLambda_ReadOnlyAccess",
        "AmazonSQSReadOnlyAccess", "AmazonSNSReadOnlyAccess", "AWSCloudTrail_ReadOnlyAccess", "IAMReadOnlyAccess"};

    private static final String BOUNDARY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Ceiling", "Effect": "Allow", "Action": ["s3:*", "ec2:Describe*", "cloudwatch:*", "dynamodb:*",
               "lambda:Get*", "lambda:List*", "sqs:*", "sns:*", "cloudtrail:*", "iam:Get*", "iam:List*"],
               "Resource": "*"},
              {"Sid": "NoSecrets", "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"}]}""";
    private static final String FULL_ACCESS = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}""";
    private static final String REGION_GUARDRAIL = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Regions", "Effect": "Deny",
              "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*"], "Resource": "*",
              "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}]}""";
    private static final String DENY_LEAVE = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Stay", "Effect": "Deny",
              "Action": "organizations:LeaveOrganization", "Resource": "*"}]}""";
    private static final String TRUST = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}""";
    /** The session policy a bench session is issued with. */
    public static final String SESSION_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Session", "Effect": "Allow",
              "Action": ["s3:Get*", "s3:List*", "ec2:Describe*", "cloudwatch:Get*"], "Resource": "*"}]}""";

    /** A role with ten AWS managed policies, a boundary and two levels of SCPs; {@code awsManaged} holds their files. */
    public static Directory managedRoleSession(Path awsManaged) {
        List<String> documents = new ArrayList<>();
        for (String name : MANAGED) {
            try {
                documents.add(Files.readString(awsManaged.resolve(name + ".json"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("the scenario reads AWS managed policies from " + awsManaged, e);
            }
        }
        try {
            return Directory.builder()
                    .organization("o-bench00001", "999988887777", org -> org
                            .scp("FullAWSAccess", FULL_ACCESS, true)
                            .scp("DenyLeaveOrganization", DENY_LEAVE, true)
                            .scp("RegionGuardrail", REGION_GUARDRAIL, false)
                            .unit("Workloads", List.of("FullAWSAccess", "RegionGuardrail"), List.of(ACCOUNT)))
                    .sessionKey("bench", SESSION_KEY)
                    .account(ACCOUNT, account -> {
                        for (int i = 0; i < MANAGED.length; i++) {
                            account.awsManagedPolicy(MANAGED[i], documents.get(i));
                        }
                        account.managedPolicy("BenchBoundary", BOUNDARY);
                        account.user("operator", user -> user.inline("assume", """
                                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                  "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"}]}"""));
                        account.role("BenchRole", TRUST, role -> {
                            for (String name : MANAGED) {
                                role.attach("arn:aws:iam::aws:policy/" + name);
                            }
                            role.boundary("BenchBoundary").tag("team", "payments");
                        });
                    })
                    .accessKey("AKIABENCHOPERATOR001", "bench-secret-bench-secret-bench-secret0",
                            "arn:aws:iam::" + ACCOUNT + ":user/operator")
                    .build();
        } catch (DirectoryException e) {
            throw new IllegalStateException("the scenario directory must load: " + e.getMessage(), e);
        }
    }

    /** Where the shared corpus's AWS managed policies are, from the repository root or benchmarks/. */
    public static Path awsManaged() {
        for (Path candidate : List.of(Path.of("..", "shared", "corpus", "aws-managed"),
                Path.of("..", "..", "shared", "corpus", "aws-managed"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/corpus/aws-managed is not beside the repository; run from its root");
    }
}
