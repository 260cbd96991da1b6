package dev.gavel.compile;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.ConditionOperator;
import dev.gavel.condition.OperatorFamily;
import dev.gavel.condition.SetOperator;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.PolicyVersion;
import dev.gavel.policy.PrincipalElement;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.PrincipalKind;
import dev.gavel.policy.SourceLocation;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random requests with random policy sets, drawn from a small world of accounts, principals,
 * actions, resources, patterns, keys and values, so that policies and requests meet often: every
 * element, Not* form, condition operator, set operator, IfExists, wildcard, policy variable and
 * policy type turns up, and so do the values that break readers (bad dates, numbers, addresses).
 */
public final class RandomRequests {

    /** One generated request and everything that applies to it. */
    public record Sample(Request request, PolicySet policies) {}

    private static final String A = "111122223333";
    private static final String B = "444455556666";

    private static final String[] PRINCIPALS = {
        "arn:aws:iam::" + A + ":user/alice", "arn:aws:iam::" + A + ":user/bob", "arn:aws:iam::" + B + ":user/carol",
        "arn:aws:sts::" + A + ":assumed-role/App/i-1", "arn:aws:sts::" + B + ":assumed-role/App/job",
        "arn:aws:sts::" + A + ":assumed-role/AWSServiceRoleForX/x", "arn:aws:iam::" + A + ":role/App",
        "arn:aws:iam::" + A + ":root", "arn:aws:sts::" + A + ":federated-user/bot", "ec2.amazonaws.com",
        "cloudtrail.amazonaws.com", "anonymous", "arn:aws:iam::" + A + ":saml-provider/IdP", "accounts.google.com",
    };
    private static final String[] ROLE_ARNS = {
        "arn:aws:iam::" + A + ":role/service/App", "arn:aws:iam::" + A + ":role/App",
        "arn:aws:iam::" + A + ":role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
    };
    private static final String[] ACTIONS = {
        "s3:GetObject", "s3:PutObject", "S3:getobject", "s3:ListBucket", "iam:PassRole", "iam:DeleteRole",
        "iam:CreatePolicyVersion", "iam:TagRole", "kms:Decrypt", "kms:CreateAlias", "sts:AssumeRole",
        "sts:TagSession", "ec2:DescribeInstances", "s3:GetObject", "s3:PutObject", "s3:GetObject",
    };
    private static final String[] RESOURCES = {
        "arn:aws:s3:::bucket/key.txt", "arn:aws:s3:::bucket/alice/notes", "arn:aws:s3:::other/k", "arn:aws:s3:::bucket",
        "arn:aws:s3:::payments/q3.csv", "arn:aws:iam::" + A + ":role/App", "arn:aws:iam::" + A + ":role/service/App",
        "arn:aws:iam::" + A + ":role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
        "arn:aws:iam::" + A + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1",
        "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:kms:eu-west-1:" + A + ":key/1234",
        "arn:aws:kms:eu-west-1:" + A + ":alias/aws/s3", "arn:aws:ec2:eu-west-1:" + B + ":instance/i-1", "*",
        "arn:aws:sqs:eu-west-1:" + A + ":queue:with:colons",
    };
    private static final String[] ACTION_PATTERNS = {
        "*", "s3:*", "s3:Get*", "s3:GetObject", "S3:GETOBJECT", "iam:*", "kms:*", "sts:AssumeRole", "sts:*",
        "ec2:Describe*", "*:Get*", "s3:?etObject", "iam:PassRole", "iam:Delete*",
    };
    private static final String[] RESOURCE_PATTERNS = {
        "*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", "arn:aws:s3:::*", "arn:aws:s3:::bucket/${aws:username}/*",
        "arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:iam::" + A + ":role/*", "arn:aws:iam::*:role/aws-*",
        "arn:aws:kms:*:" + A + ":key/*", "arn:aws:s3:*", "ARN:AWS:S3:::bucket/*", "arn:aws:*:*:*:*",
        "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/${aws:username, 'alice'}/*", "arn:aws:iam::aws:policy/*",
        "arn:aws:kms:eu-west-1:" + A + ":alias/*", "arn:aws:s3:::b?cket/*", "arn:aws:sqs:*:*:queue:*",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/missing}", "arn:aws:ec2:*:*:instance/*", "arn:aws:s3::*",
        "arn:aws:s3:::bucket/alice/*", "arn:aws:s3:::bucket/alice/notes", "arn:aws:s3:::other/*", "arn:aws:s3:::payments/*",
        "arn:aws:s3:::bucket/key.txt", "arn:aws:sqs:eu-west-1:" + A + ":queue:with:*", "arn:aws:iam::*:role/service/*",
        "arn:aws:s3:::bucket/al*", "arn:aws:s3:::bucket/${aws:username}/notes", "arn:aws:s3:::*/alice/*",
    };
    private static final String[] KEYS = {
        "aws:username", "aws:SourceIp", "aws:TagKeys", "s3:prefix", "aws:PrincipalTag/team", "aws:CurrentTime",
        "aws:MultiFactorAuthAge", "aws:SecureTransport", "aws:SourceArn", "aws:PrincipalArn", "aws:PrincipalOrgID",
        "aws:SourceVpce", "aws:PrincipalIsAWSService", "AWS:USERNAME", "aws:SourceAccount", "s3:x-amz-content",
    };
    private static final String[] STRINGS = {"alice", "bob", "al*", "${aws:username}", "payments", "*", "ALICE", "",
        "o-a1b2c3d4e5", "vpce-1a2b3c4d", A, "${aws:PrincipalTag/team}", "a?ice", "${aws:missing, 'x'}", "true"};
    private static final String[] NUMBERS = {"-1", "0", "30", "3600", "1.5", "abc", "+7", "1e3", ".5", "30.0",
        "123456789012345678901234"};
    private static final String[] DATES = {"2026-01-01T00:00:00Z", "2027-01-01", "1767225600", "1767225600.5",
        "bad", "2026-12-01T05:20:38Z", "2026-12-01T06:20:38+01:00", "2026-12-01t05:20:38z", "2026-02-30"};
    private static final String[] ADDRESSES = {"10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "192.168.1.1",
        "::ffff:10.0.0.1", "bad", "10.1.2.3/33", "203.0.113.0/24", "::/0", "2001:db8::1"};
    private static final String[] ARNS = {"arn:aws:s3:::bucket", "arn:aws:iam::" + A + ":role/*", "arn:*:*:*:*:*",
        "${aws:PrincipalArn}", "arn:aws:iam::" + A + ":user/alice", "arn:aws:s3:::*", "not-an-arn",
        "arn:aws:sns:eu-west-1:" + A + ":topic"};
    private static final String[] BINARIES = {"QUJD", "QUJDRA==", "not base64!"};

    private final Random random;

    public RandomRequests(long seed) {
        this.random = new Random(seed);
    }

    public Sample next() {
        String principal = pick(PRINCIPALS);
        RequestContext.Builder context = RequestContext.builder();
        if (random.nextInt(3) > 0) {
            context.put("aws:username", pick("alice", "bob", "a*"));
        }
        if (random.nextBoolean()) {
            context.put("aws:SourceIp", pick("10.1.2.3", "192.168.1.1", "2001:db8::1", "bad", "0.0.0.0", "::ffff:10.0.0.1"));
        }
        if (random.nextBoolean()) {
            context.putMultivalued("aws:TagKeys", pickList("team", "env", "Team"));
        }
        if (random.nextInt(3) == 0) {
            context.put("s3:prefix", pick("alice/", "", "bob/x"));
        }
        if (random.nextBoolean()) {
            context.put("aws:PrincipalTag/team", pick("payments", "bucket", "a*b"));
        }
        if (random.nextInt(3) > 0) {
            context.put("aws:CurrentTime", pick("2026-12-01T05:20:38Z", "2025-06-01T00:00:00Z", "1767225600"));
        }
        if (random.nextInt(3) == 0) {
            context.put("aws:MultiFactorAuthAge", pick("30", "5000", "x", "30.00"));
        }
        if (random.nextBoolean()) {
            context.put("aws:SecureTransport", pick("true", "false", "TRUE", "yes"));
        }
        if (random.nextInt(3) == 0) {
            context.put("aws:SourceArn", pick(ARNS));
        }
        if (random.nextBoolean()) {
            context.put("aws:PrincipalArn", pick(ROLE_ARNS));
        }
        if (random.nextInt(3) == 0) {
            context.put("aws:PrincipalOrgID", pick("o-a1b2c3d4e5", "o-other"));
        }
        if (random.nextInt(4) == 0) {
            context.putMultivalued("aws:SourceVpce", pickList("vpce-1a2b3c4d", "vpce-x"));
        }
        if (random.nextInt(4) == 0) {
            context.put("aws:PrincipalIsAWSService", pick("true", "false"));
        }
        if (random.nextInt(4) == 0) {
            context.put("s3:x-amz-content", pick(BINARIES));
        }
        String resource = pick(RESOURCES);
        String resourceAccount = random.nextInt(4) == 0 ? pick(A, B, "") : null;
        String action = random.nextInt(50) == 0 ? "sts:GetCallerIdentity" : pick(ACTIONS);
        Request request = new Request(principal, action, resource, resourceAccount, context.build());
        PolicySet policies = PolicySet.builder()
                .identityPolicies(policies(random.nextInt(4), false))
                .permissionBoundary(random.nextInt(4) == 0 ? policy(false) : null)
                .sessionPolicies(policies(random.nextInt(5) == 0 ? 1 + random.nextInt(2) : 0, false))
                .resourcePolicy(random.nextInt(3) > 0 ? policy(true) : null)
                .scps(levels(random.nextBoolean() ? 0 : 1 + random.nextInt(2), false))
                .rcps(levels(random.nextInt(3) > 0 ? 0 : 1 + random.nextInt(2), true))
                .endpointPolicy(random.nextInt(5) == 0 ? policy(true) : null)
                .restrictPublicBuckets(random.nextInt(4) == 0)
                .build();
        return new Sample(request, policies);
    }

    /** Organization levels; an SCP level usually holds a full-access policy, as real ones do. */
    private List<List<Policy>> levels(int count, boolean denyOnly) {
        List<List<Policy>> levels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (denyOnly) {
                levels.add(List.of(policy(true, Effect.DENY)));
                continue;
            }
            List<Policy> level = new ArrayList<>(policies(random.nextInt(2), false));
            if (level.isEmpty() || random.nextInt(3) > 0) {
                level.add(fullAccess());
            }
            levels.add(level);
        }
        return levels;
    }

    private static Policy fullAccess() {
        Statement all = new Statement(0, PolicyString.of("FullAWSAccess"), Effect.ALLOW,
                new PatternElement(false, List.of(PolicyString.of("*")), SourceLocation.NONE),
                new PatternElement(false, List.of(PolicyString.of("*")), SourceLocation.NONE), null, List.of(),
                new SourceLocation(1, 2, "Statement[0]"));
        return new Policy("FullAWSAccess", PolicyVersion.V2012_10_17, null, List.of(all), SourceLocation.NONE, -1, -1);
    }

    private List<Policy> policies(int count, boolean principals) {
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            policies.add(policy(principals));
        }
        return policies;
    }

    private Policy policy(boolean principals) {
        return policy(principals, null);
    }

    private Policy policy(boolean principals, Effect only) {
        PolicyVersion version = random.nextInt(6) == 0 ? pick(PolicyVersion.V2008_10_17, PolicyVersion.ABSENT)
                : PolicyVersion.V2012_10_17;
        List<Statement> statements = new ArrayList<>();
        // Now and then a long policy, so that plans are big enough for resource indexes.
        int count = random.nextInt(5) == 0 ? 6 + random.nextInt(12) : 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            statements.add(statement(i, principals, only));
        }
        return new Policy("generated-" + Integer.toHexString(random.nextInt()), version, null, statements,
                SourceLocation.NONE, -1, -1);
    }

    private Statement statement(int index, boolean principals, Effect only) {
        Effect effect = only != null ? only : random.nextInt(3) == 0 ? Effect.DENY : Effect.ALLOW;
        PatternElement action = element(ACTION_PATTERNS, random.nextInt(8) == 0);
        PatternElement resource = principals && random.nextInt(4) == 0 ? null
                : element(RESOURCE_PATTERNS, random.nextInt(8) == 0);
        PrincipalElement principal = principals ? principal(random.nextInt(6) == 0) : null;
        List<Condition> conditions = new ArrayList<>();
        // Deny-only organization policies (RCPs) carry conditions, or they would deny everything.
        int count = random.nextInt(4) == 0 || only == Effect.DENY ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < count; i++) {
            conditions.add(condition());
        }
        SourceLocation at = new SourceLocation(1, 10 + index, "Statement[" + index + "]");
        return new Statement(index, random.nextBoolean() ? PolicyString.of("S" + index) : null, effect, action,
                resource, principal, conditions, at);
    }

    private PatternElement element(String[] values, boolean negated) {
        List<PolicyString> patterns = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            patterns.add(PolicyString.of(pick(values)));
        }
        return new PatternElement(negated, patterns, SourceLocation.NONE);
    }

    private PrincipalElement principal(boolean negated) {
        if (random.nextInt(4) == 0) {
            return new PrincipalElement(negated, true, List.of(), SourceLocation.NONE);
        }
        List<PrincipalId> ids = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                ids.add(new PrincipalId(PrincipalKind.AWS, pick(A, B, "arn:aws:iam::" + A + ":root",
                        "arn:aws:iam::" + A + ":user/alice", "arn:aws:iam::" + A + ":role/App",
                        "arn:aws:iam::" + A + ":role/other/App", "arn:aws:sts::" + A + ":assumed-role/App/i-1",
                        "arn:aws:iam::" + B + ":role/App", "*"), SourceLocation.NONE));
            } else if (kind < 8) {
                ids.add(new PrincipalId(PrincipalKind.SERVICE, pick("ec2.amazonaws.com", "CloudTrail.amazonaws.com"),
                        SourceLocation.NONE));
            } else {
                ids.add(new PrincipalId(PrincipalKind.FEDERATED, pick("arn:aws:iam::" + A + ":saml-provider/IdP",
                        "accounts.google.com"), SourceLocation.NONE));
            }
        }
        return new PrincipalElement(negated, false, ids, SourceLocation.NONE);
    }

    private Condition condition() {
        BaseOperator base = pick(BaseOperator.values());
        SetOperator set = random.nextInt(3) == 0 ? pick(SetOperator.FOR_ALL_VALUES, SetOperator.FOR_ANY_VALUE)
                : SetOperator.NONE;
        boolean ifExists = base != BaseOperator.NULL && random.nextInt(4) == 0;
        OperatorFamily family = base.family();
        String[] pool = switch (family) {
            case STRING -> STRINGS;
            case NUMERIC -> NUMBERS;
            case DATE -> DATES;
            case BOOL, NULL -> new String[] {"true", "false", "TRUE", "maybe"};
            case BINARY -> BINARIES;
            case IP_ADDRESS -> ADDRESSES;
            case ARN -> ARNS;
        };
        List<ConditionValue> values = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            values.add(new ConditionValue(pick(pool), ConditionValue.JsonType.STRING, SourceLocation.NONE));
        }
        String key = random.nextInt(3) == 0 ? keyFor(family) : pick(KEYS);
        return new Condition(new ConditionOperator(set, base, ifExists), key, values, SourceLocation.NONE);
    }

    /** A key whose request values are of the operator's type, so that comparisons happen. */
    private String keyFor(OperatorFamily family) {
        return switch (family) {
            case NUMERIC -> "aws:MultiFactorAuthAge";
            case DATE -> "aws:CurrentTime";
            case BOOL -> "aws:SecureTransport";
            case IP_ADDRESS -> "aws:SourceIp";
            case ARN -> pick("aws:SourceArn", "aws:PrincipalArn");
            case BINARY -> "s3:x-amz-content";
            default -> pick("aws:username", "aws:TagKeys", "aws:PrincipalTag/team");
        };
    }

    private List<String> pickList(String... values) {
        List<String> list = new ArrayList<>();
        for (String value : values) {
            if (random.nextBoolean()) {
                list.add(value);
            }
        }
        return list;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
