package dev.gavel.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a large, realistic directory folder, the same bytes for the same arguments, to measure
 * and test how Gavel loads big accounts.
 *
 * <pre>
 * scripts/generate-directory OUT PRINCIPALS SEED
 * java -cp benchmarks/target/gavel-benchmarks.jar dev.gavel.bench.DirectoryGenerator OUT PRINCIPALS SEED
 * </pre>
 *
 * <p>{@code OUT} receives one account, {@code accounts/ACCOUNT_ID.json}, shaped exactly like
 * {@code aws iam get-account-authorization-details} output ({@code UserDetailList},
 * {@code GroupDetailList}, {@code RoleDetailList}, {@code Policies} with {@code PolicyVersionList}),
 * plus {@code access-keys.json}, {@code mfa-devices.json} and {@code session-keys.json}. The
 * account id is derived from the seed. The mix is that of a large organisation's account:
 * <ul>
 *   <li>60% users: named people in teams, in 1 to 3 groups, tagged with their team; some with a
 *       permissions boundary, some with one small inline policy (most of them one of a few shared
 *       documents, such as managing their own MFA device), 40% with access keys, 20% with MFA.
 *   <li>40% roles: service roles (EC2, Lambda, ECS tasks, Step Functions, Glue), cross-account
 *       roles trusting partner accounts under an {@code sts:ExternalId} condition, MFA-guarded
 *       roles for the account's own people, and a few service-linked roles.
 *   <li>A few hundred groups, a few hundred customer managed policies (wildcard ARNs, conditions
 *       on region, TLS, source IP, tags and MFA; older non-default versions), permissions
 *       boundaries, and the AWS managed policies they attach.
 * </ul>
 * It averages about 950 bytes of account file per principal: 100,000 principals make about
 * 95 MB. Everything, secrets included, comes from {@link Random} with the seed, whose algorithm
 * Java specifies, so a seed gives the same directory on every JDK. The secrets are test data.
 *
 * <p>It lives in the engine's test sources, where the engine's small-heap test uses it, and
 * reaches the benchmarks module through the engine's test jar (see benchmarks/pom.xml).
 */
public final class DirectoryGenerator {

    /** What was written, for tests and for the summary line. */
    public record Summary(String accountId, Path accountFile, int users, int roles, int groups,
            int customerPolicies, int awsManagedPolicies, int accessKeys, String sampleUserArn) {}

    private static final String[] TEAMS = {"payments", "checkout", "identity", "search", "catalog", "data",
        "platform", "mobile", "web", "billing", "risk", "fraud", "growth", "infra", "security", "analytics", "ml",
        "support", "sre", "logistics", "pricing", "ads", "media", "messaging"};
    private static final String[] ENVS = {"prod", "staging", "dev", "sandbox"};
    private static final String[] REGIONS = {"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
        "ap-southeast-2", "ap-northeast-1"};
    private static final String[] FIRST = {"ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hiro", "ines",
        "jon", "kemal", "lena", "mateo", "nora", "omar", "priya", "quinn", "rosa", "sami", "tara", "uma", "victor",
        "wei", "xena", "yusuf", "zoe", "aisha", "bruno", "carla", "dmitri", "elif", "femi"};
    private static final String[] LAST = {"silva", "nguyen", "smith", "garcia", "kim", "patel", "muller", "rossi",
        "tanaka", "kowalski", "okafor", "haddad", "jensen", "novak", "costa", "dubois", "ivanova", "larsen",
        "mendes", "ozturk", "park", "quispe", "reyes", "sato", "torres", "ueda", "vargas", "wong", "yilmaz",
        "zhang", "abbott", "brennan"};
    private static final String[] GROUP_ROLES = {"developers", "readonly", "oncall", "admins", "analysts"};
    private static final String[] TRUSTED_SERVICES = {"ec2", "lambda", "ecs-tasks", "states", "glue"};
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Instant EPOCH = Instant.parse("2019-01-01T00:00:00Z");

    /** One kind of access to a service: actions, and resource patterns with {t} team, {e} env, {r} region, {a} account. */
    private record Access(String service, List<String> read, List<String> write, List<String> resources) {}

    private static final List<Access> ACCESS = List.of(
            new Access("s3", List.of("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"),
                    List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                    List.of("arn:aws:s3:::{t}-{e}-*", "arn:aws:s3:::{t}-{e}-*/*")),
            new Access("dynamodb", List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable"),
                    List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"),
                    List.of("arn:aws:dynamodb:{r}:{a}:table/{t}-*", "arn:aws:dynamodb:{r}:{a}:table/{t}-*/index/*")),
            new Access("sqs", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                    List.of("sqs:SendMessage", "sqs:ChangeMessageVisibility"), List.of("arn:aws:sqs:*:{a}:{t}-*")),
            new Access("sns", List.of("sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"), List.of("sns:Publish"),
                    List.of("arn:aws:sns:{r}:{a}:{t}-*")),
            new Access("lambda", List.of("lambda:GetFunction", "lambda:GetFunctionConfiguration"),
                    List.of("lambda:InvokeFunction", "lambda:UpdateFunctionCode"),
                    List.of("arn:aws:lambda:{r}:{a}:function:{t}-*")),
            new Access("logs", List.of("logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"),
                    List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                    List.of("arn:aws:logs:*:{a}:log-group:/aws/lambda/{t}-*:*")),
            new Access("kms", List.of("kms:Decrypt", "kms:DescribeKey"), List.of("kms:Encrypt", "kms:GenerateDataKey*"),
                    List.of("arn:aws:kms:{r}:{a}:key/*")),
            new Access("secretsmanager", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                    List.of("secretsmanager:PutSecretValue"), List.of("arn:aws:secretsmanager:{r}:{a}:secret:{t}/{e}/*")),
            new Access("ssm", List.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"),
                    List.of("ssm:PutParameter"), List.of("arn:aws:ssm:{r}:{a}:parameter/{t}/{e}/*")),
            new Access("ecr", List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                    List.of("ecr:PutImage", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"),
                    List.of("arn:aws:ecr:{r}:{a}:repository/{t}/*")),
            new Access("kinesis", List.of("kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream"),
                    List.of("kinesis:PutRecord", "kinesis:PutRecords"), List.of("arn:aws:kinesis:{r}:{a}:stream/{t}-*")),
            new Access("states", List.of("states:DescribeExecution", "states:ListExecutions"),
                    List.of("states:StartExecution"), List.of("arn:aws:states:{r}:{a}:stateMachine:{t}-*")));

    /** An AWS managed policy: its path and document. */
    private record AwsPolicy(String name, String path, Map<String, Object> document) {
        String arn() {
            return "arn:aws:iam::aws:policy" + path + name;
        }

        /** The same id in every account, as AWS gives it: derived from the name alone. */
        String id() {
            Random byName = new Random(name.hashCode());
            StringBuilder id = new StringBuilder("ANPA");
            for (int i = 0; i < 17; i++) {
                id.append(BASE32.charAt(byName.nextInt(BASE32.length())));
            }
            return id.toString();
        }
    }

    private static final List<AwsPolicy> AWS_POLICIES = List.of(
            new AwsPolicy("AdministratorAccess", "/", policy(allow(List.of("*"), List.of("*")))),
            new AwsPolicy("ReadOnlyAccess", "/", policy(allow(List.of("cloudwatch:Describe*", "cloudwatch:Get*",
                    "cloudwatch:List*", "dynamodb:Describe*", "dynamodb:List*", "ec2:Describe*", "iam:Get*", "iam:List*",
                    "lambda:Get*", "lambda:List*", "logs:Describe*", "logs:Get*", "s3:Get*", "s3:List*", "sqs:Get*",
                    "sqs:List*"), List.of("*")))),
            new AwsPolicy("AmazonS3ReadOnlyAccess", "/", policy(allow(List.of("s3:Get*", "s3:List*", "s3:Describe*",
                    "s3-object-lambda:Get*", "s3-object-lambda:List*"), List.of("*")))),
            new AwsPolicy("AmazonEC2ReadOnlyAccess", "/", policy(allow(List.of("ec2:Describe*",
                    "elasticloadbalancing:Describe*", "cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics",
                    "cloudwatch:Describe*", "autoscaling:Describe*"), List.of("*")))),
            new AwsPolicy("CloudWatchLogsReadOnlyAccess", "/", policy(allow(List.of("logs:Describe*", "logs:Get*",
                    "logs:List*", "logs:StartQuery", "logs:StopQuery", "logs:TestMetricFilter", "logs:FilterLogEvents"),
                    List.of("*")))),
            new AwsPolicy("IAMUserChangePassword", "/", policy(
                    allow(List.of("iam:ChangePassword"), List.of("arn:aws:iam::*:user/${aws:username}")),
                    allow(List.of("iam:GetAccountPasswordPolicy"), List.of("*")))),
            new AwsPolicy("PowerUserAccess", "/", policy(
                    statement("Allow", "NotAction", List.of("iam:*", "organizations:*", "account:*"), "Resource",
                            List.of("*"), null),
                    allow(List.of("iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                            "organizations:DescribeOrganization", "account:ListRegions"), List.of("*")))),
            new AwsPolicy("AWSLambdaBasicExecutionRole", "/service-role/", policy(allow(List.of("logs:CreateLogGroup",
                    "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*")))),
            new AwsPolicy("AmazonECSTaskExecutionRolePolicy", "/service-role/", policy(allow(List.of(
                    "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*")))),
            new AwsPolicy("AmazonSSMManagedInstanceCore", "/", policy(allow(List.of("ssm:DescribeAssociation",
                    "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument",
                    "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations",
                    "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
                    "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation", "ssmmessages:*",
                    "ec2messages:*"), List.of("*")))));

    private final Random random;
    private final String account;
    private final int principals;
    private final Set<String> usedIds = new HashSet<>();
    private final List<String> customerPolicyArns = new ArrayList<>();
    private final List<String> boundaryArns = new ArrayList<>();
    private final List<String> groupNames = new ArrayList<>();
    private final List<String> partnerAccounts = new ArrayList<>();
    private final List<Map<String, Object>> sharedUserInline = new ArrayList<>();
    private final List<String> sharedUserInlineNames = new ArrayList<>();
    private final List<Map<String, Object>> sharedRoleInline = new ArrayList<>();
    private final List<String> sharedRoleInlineNames = new ArrayList<>();
    private final List<String> userArns = new ArrayList<>();

    private DirectoryGenerator(int principals, long seed) {
        this.random = new Random(seed);
        this.principals = principals;
        this.account = String.format(Locale.ROOT, "%012d", 100_000_000_000L + Math.floorMod(seed * 2_654_435_761L,
                900_000_000_000L));
    }

    /** {@code OUT PRINCIPALS SEED}: writes the folder and prints what it wrote. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || args[0].equals("--help")) {
            System.err.println("usage: DirectoryGenerator OUT PRINCIPALS SEED");
            System.err.println("Writes OUT/accounts/ACCOUNT_ID.json (aws iam get-account-authorization-details), "
                    + "access-keys.json, mfa-devices.json and session-keys.json: PRINCIPALS users and roles, "
                    + "the same for the same SEED.");
            System.exit(args.length == 1 && args[0].equals("--help") ? 0 : 2);
        }
        Summary summary = generate(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        System.out.printf(Locale.ROOT, "%s: account %s, %d users, %d roles, %d groups, %d customer managed and "
                + "%d AWS managed policies, %d access keys; %,d bytes%n", summary.accountFile(), summary.accountId(),
                summary.users(), summary.roles(), summary.groups(), summary.customerPolicies(),
                summary.awsManagedPolicies(), summary.accessKeys(), Files.size(summary.accountFile()));
    }

    /** Writes a directory of {@code principals} users and roles into {@code folder}, which it creates. */
    public static Summary generate(Path folder, int principals, long seed) throws IOException {
        if (principals < 1) {
            throw new IllegalArgumentException("at least one principal");
        }
        return new DirectoryGenerator(principals, seed).write(folder);
    }

    private Summary write(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("accounts"));
        int users = (int) Math.round(principals * 0.6);
        int roles = principals - users;
        int groups = clamp(principals / 300, 3, 400);
        int customerPolicies = clamp(principals / 250, 6, 400);
        int boundaries = clamp(customerPolicies / 40, 2, 10);
        for (int i = 0; i < 60; i++) {
            partnerAccounts.add(String.format(Locale.ROOT, "%012d", 100_000_000_000L + random.nextInt(900_000_000)
                    * 1000L + random.nextInt(1000)));
        }
        sharedInlinePolicies();
        for (int i = 0; i < customerPolicies; i++) {
            customerPolicyArns.add("arn:aws:iam::" + account + ":policy/" + (i < boundaries ? "boundaries/" : "")
                    + policyName(i, i < boundaries));
        }
        boundaryArns.addAll(customerPolicyArns.subList(0, boundaries));
        for (int i = 0; i < groups; i++) {
            groupNames.add(TEAMS[i % TEAMS.length] + "-" + GROUP_ROLES[(i / TEAMS.length) % GROUP_ROLES.length]
                    + (i < TEAMS.length * GROUP_ROLES.length ? "" : "-" + i));
        }
        Path accountFile = folder.resolve("accounts").resolve(account + ".json");
        List<String[]> keyOwners = new ArrayList<>();
        try (JsonGenerator json = generator(Files.newOutputStream(accountFile))) {
            json.writeStartObject();
            json.writeArrayFieldStart("UserDetailList");
            for (int i = 0; i < users; i++) {
                user(json, i, keyOwners);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("GroupDetailList");
            for (int i = 0; i < groups; i++) {
                group(json, i);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("RoleDetailList");
            for (int i = 0; i < roles; i++) {
                role(json, i);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Policies");
            for (int i = 0; i < customerPolicies; i++) {
                customerPolicy(json, i, i < boundaries);
            }
            for (AwsPolicy policy : AWS_POLICIES) {
                awsPolicy(json, policy);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        int keys = credentials(folder, keyOwners);
        return new Summary(account, accountFile, users, roles, groups, customerPolicies, AWS_POLICIES.size(), keys,
                userArns.isEmpty() ? null : userArns.get(0));
    }

    // ---- entities -------------------------------------------------------------------------------

    private void user(JsonGenerator json, int index, List<String[]> keyOwners) throws IOException {
        String team = pick(TEAMS);
        String name = pick(FIRST) + "." + pick(LAST) + "." + index;
        String path = random.nextInt(10) == 0 ? "/contractors/" : "/";
        String arn = "arn:aws:iam::" + account + ":user" + path + name;
        userArns.add(arn);
        json.writeStartObject();
        json.writeStringField("Path", path);
        json.writeStringField("UserName", name);
        json.writeStringField("UserId", id("AIDA"));
        json.writeStringField("Arn", arn);
        json.writeStringField("CreateDate", date());
        if (random.nextInt(100) < 20) {
            json.writeArrayFieldStart("UserPolicyList");
            inline(json, random.nextInt(4) == 0 ? uniqueUserInline(name, team) : null, sharedUserInline,
                    sharedUserInlineNames);
            json.writeEndArray();
        }
        json.writeArrayFieldStart("GroupList");
        int groups = 1 + random.nextInt(3);
        for (String group : distinct(groupNames, groups)) {
            json.writeString(group);
        }
        json.writeEndArray();
        attached(json, random.nextInt(100) < 30 ? 1 : 0, random.nextInt(100) < 10);
        if (random.nextInt(100) < 20) {
            boundary(json);
        }
        tags(json, team, random.nextInt(100) < 80 ? 1 + random.nextInt(3) : 0);
        json.writeEndObject();
        if (random.nextInt(100) < 40) {
            keyOwners.add(new String[] {arn, name});
        }
    }

    private void group(JsonGenerator json, int index) throws IOException {
        String name = groupNames.get(index);
        json.writeStartObject();
        json.writeStringField("Path", "/");
        json.writeStringField("GroupName", name);
        json.writeStringField("GroupId", id("AGPA"));
        json.writeStringField("Arn", "arn:aws:iam::" + account + ":group/" + name);
        json.writeStringField("CreateDate", date());
        json.writeArrayFieldStart("GroupPolicyList");
        if (random.nextInt(4) == 0) {
            String team = TEAMS[index % TEAMS.length];
            inlineEntry(json, team + "-group-extras", policy(accessStatement(team, pick(ENVS), true, false, 0)));
        }
        json.writeEndArray();
        attached(json, 1 + random.nextInt(3), random.nextInt(3) == 0);
        json.writeEndObject();
    }

    private void role(JsonGenerator json, int index) throws IOException {
        String team = pick(TEAMS);
        String env = pick(ENVS);
        int kind = random.nextInt(100);
        String path;
        String name;
        Map<String, Object> trust;
        String service = null;
        if (index < 8 && principals >= 200) {
            // A few service-linked roles, as every account that uses these services has.
            String[] linked = {"autoscaling", "elasticloadbalancing", "rds", "ecs", "organizations", "support",
                "trustedadvisor", "sso"};
            service = linked[index] + ".amazonaws.com";
            path = "/aws-service-role/" + service + "/";
            name = "AWSServiceRoleFor" + Character.toUpperCase(linked[index].charAt(0)) + linked[index].substring(1);
            trust = policy(trustStatement(Map.of("Service", service), null));
        } else if (kind < 50) {
            service = pick(TRUSTED_SERVICES) + ".amazonaws.com";
            path = random.nextBoolean() ? "/service-role/" : "/";
            name = team + "-" + env + "-" + service.substring(0, service.indexOf('.')) + "-" + index;
            trust = policy(trustStatement(Map.of("Service", service), null));
        } else if (kind < 85) {
            path = "/partners/";
            name = team + "-partner-access-" + index;
            List<String> trusted = new ArrayList<>();
            for (String partner : distinct(partnerAccounts, 1 + (random.nextInt(5) == 0 ? 1 : 0))) {
                trusted.add("arn:aws:iam::" + partner + ":root");
            }
            trust = policy(trustStatement(Map.of("AWS", trusted.size() == 1 ? trusted.get(0) : trusted),
                    condition("StringEquals", "sts:ExternalId", hex(16))));
        } else {
            path = "/";
            name = team + "-" + env + "-operator-" + index;
            trust = policy(trustStatement(Map.of("AWS", "arn:aws:iam::" + account + ":root"),
                    condition("Bool", "aws:MultiFactorAuthPresent", "true")));
        }
        json.writeStartObject();
        json.writeStringField("Path", path);
        json.writeStringField("RoleName", name);
        json.writeStringField("RoleId", id("AROA"));
        json.writeStringField("Arn", "arn:aws:iam::" + account + ":role" + path + name);
        json.writeStringField("CreateDate", date());
        json.writeFieldName("AssumeRolePolicyDocument");
        write(json, trust);
        json.writeArrayFieldStart("InstanceProfileList");
        if ("ec2.amazonaws.com".equals(service)) {
            json.writeStartObject();
            json.writeStringField("Path", "/");
            json.writeStringField("InstanceProfileName", name);
            json.writeStringField("InstanceProfileId", id("AIPA"));
            json.writeStringField("Arn", "arn:aws:iam::" + account + ":instance-profile/" + name);
            json.writeStringField("CreateDate", date());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("RolePolicyList");
        if (random.nextInt(100) < 20) {
            inline(json, random.nextInt(4) == 0 ? policy(accessStatement(team, env, random.nextBoolean(), true, 0))
                    : null, sharedRoleInline, sharedRoleInlineNames);
        }
        json.writeEndArray();
        attached(json, random.nextInt(100) < 60 ? 1 + random.nextInt(2) : 0, random.nextInt(100) < 50);
        if (random.nextInt(100) < 10) {
            boundary(json);
        }
        tags(json, team, random.nextInt(100) < 60 ? 1 + random.nextInt(2) : 0);
        json.writeObjectFieldStart("RoleLastUsed");
        if (random.nextInt(3) > 0) {
            json.writeStringField("LastUsedDate", date());
            json.writeStringField("Region", pick(REGIONS));
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private void customerPolicy(JsonGenerator json, int index, boolean boundary) throws IOException {
        String arn = customerPolicyArns.get(index);
        String team = TEAMS[index % TEAMS.length];
        int versions = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0);
        String created = date();
        json.writeStartObject();
        json.writeStringField("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
        json.writeStringField("PolicyId", id("ANPA"));
        json.writeStringField("Arn", arn);
        json.writeStringField("Path", boundary ? "/boundaries/" : "/");
        json.writeStringField("DefaultVersionId", "v" + versions);
        json.writeNumberField("AttachmentCount", random.nextInt(boundary ? 1 : 400));
        json.writeNumberField("PermissionsBoundaryUsageCount", boundary ? 1 + random.nextInt(2000) : 0);
        json.writeBooleanField("IsAttachable", true);
        json.writeStringField("CreateDate", created);
        json.writeStringField("UpdateDate", date());
        json.writeArrayFieldStart("PolicyVersionList");
        for (int v = versions; v >= 1; v--) {
            json.writeStartObject();
            json.writeFieldName("Document");
            write(json, boundary ? boundaryDocument(team) : customerDocument(team));
            json.writeStringField("VersionId", "v" + v);
            json.writeBooleanField("IsDefaultVersion", v == versions);
            json.writeStringField("CreateDate", v == 1 ? created : date());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void awsPolicy(JsonGenerator json, AwsPolicy policy) throws IOException {
        json.writeStartObject();
        json.writeStringField("PolicyName", policy.name());
        json.writeStringField("PolicyId", policy.id());
        json.writeStringField("Arn", policy.arn());
        json.writeStringField("Path", policy.path());
        json.writeStringField("DefaultVersionId", "v1");
        json.writeNumberField("AttachmentCount", 1);
        json.writeNumberField("PermissionsBoundaryUsageCount", 0);
        json.writeBooleanField("IsAttachable", true);
        json.writeStringField("CreateDate", "2015-02-06T18:39:46+00:00");
        json.writeStringField("UpdateDate", "2015-02-06T18:39:46+00:00");
        json.writeArrayFieldStart("PolicyVersionList");
        json.writeStartObject();
        json.writeFieldName("Document");
        write(json, policy.document());
        json.writeStringField("VersionId", "v1");
        json.writeBooleanField("IsDefaultVersion", true);
        json.writeStringField("CreateDate", "2015-02-06T18:39:46+00:00");
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    private void attached(JsonGenerator json, int customer, boolean awsManaged) throws IOException {
        json.writeArrayFieldStart("AttachedManagedPolicies");
        List<String> arns = new ArrayList<>(distinct(customerPolicyArns.subList(boundaryArns.size(),
                customerPolicyArns.size()), customer));
        if (awsManaged) {
            arns.add(AWS_POLICIES.get(random.nextInt(AWS_POLICIES.size())).arn());
        }
        for (String arn : arns) {
            json.writeStartObject();
            json.writeStringField("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
            json.writeStringField("PolicyArn", arn);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void boundary(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("PermissionsBoundary");
        json.writeStringField("PermissionsBoundaryType", "Policy");
        json.writeStringField("PermissionsBoundaryArn", boundaryArns.get(random.nextInt(boundaryArns.size())));
        json.writeEndObject();
    }

    private void tags(JsonGenerator json, String team, int count) throws IOException {
        json.writeArrayFieldStart("Tags");
        String[][] tags = {{"team", team}, {"cost-center", "cc-" + (1000 + Math.floorMod(team.hashCode(), 9000))},
            {"env", pick(ENVS)}};
        for (int i = 0; i < count; i++) {
            json.writeStartObject();
            json.writeStringField("Key", tags[i][0]);
            json.writeStringField("Value", tags[i][1]);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** One inline policy: the unique document given, or one of the shared ones. */
    private void inline(JsonGenerator json, Map<String, Object> unique, List<Map<String, Object>> shared,
            List<String> sharedNames) throws IOException {
        if (unique != null) {
            inlineEntry(json, "inline-" + hex(6), unique);
        } else {
            int which = random.nextInt(shared.size());
            inlineEntry(json, sharedNames.get(which), shared.get(which));
        }
    }

    private static void inlineEntry(JsonGenerator json, String name, Map<String, Object> document) throws IOException {
        json.writeStartObject();
        json.writeStringField("PolicyName", name);
        json.writeFieldName("PolicyDocument");
        write(json, document);
        json.writeEndObject();
    }

    private int credentials(Path folder, List<String[]> owners) throws IOException {
        int keys = 0;
        try (JsonGenerator json = generator(Files.newOutputStream(folder.resolve("access-keys.json")))) {
            json.writeStartObject();
            json.writeArrayFieldStart("AccessKeys");
            for (String[] owner : owners) {
                int count = random.nextInt(10) == 0 ? 2 : 1;
                for (int k = 0; k < count; k++) {
                    json.writeStartObject();
                    json.writeStringField("AccessKeyId", id("AKIA", 16));
                    json.writeStringField("SecretAccessKey", chars(SECRET_CHARS, 40));
                    json.writeStringField("UserArn", owner[0]);
                    json.writeStringField("Status", k == 0 && random.nextInt(20) > 0 ? "Active" : "Inactive");
                    json.writeStringField("CreateDate", date());
                    json.writeEndObject();
                    keys++;
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        try (JsonGenerator json = generator(Files.newOutputStream(folder.resolve("mfa-devices.json")))) {
            json.writeStartObject();
            json.writeArrayFieldStart("MFADevices");
            for (int i = 0; i < userArns.size(); i++) {
                if (random.nextInt(5) == 0) {
                    String arn = userArns.get(i);
                    json.writeStartObject();
                    json.writeStringField("SerialNumber", "arn:aws:iam::" + account + ":mfa/"
                            + arn.substring(arn.lastIndexOf('/') + 1));
                    json.writeStringField("UserArn", arn);
                    json.writeStringField("Base32StringSeed", chars(BASE32, 32));
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        try (JsonGenerator json = generator(Files.newOutputStream(folder.resolve("session-keys.json")))) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            json.writeStartObject();
            json.writeArrayFieldStart("SessionKeys");
            json.writeStartObject();
            json.writeStringField("KeyId", "generated-1");
            json.writeStringField("Secret", Base64.getEncoder().encodeToString(secret));
            json.writeStringField("CreateDate", "2026-01-01T00:00:00Z");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }
        return keys;
    }

    // ---- documents ------------------------------------------------------------------------------

    private void sharedInlinePolicies() {
        sharedUserInlineNames.add("ManageOwnMfaDevice");
        sharedUserInline.add(policy(
                allow(List.of("iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
                        "iam:ListMFADevices"), List.of("arn:aws:iam::*:mfa/${aws:username}",
                        "arn:aws:iam::*:user/${aws:username}"))));
        sharedUserInlineNames.add("ManageOwnAccessKeys");
        sharedUserInline.add(policy(allow(List.of("iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys",
                "iam:UpdateAccessKey"), List.of("arn:aws:iam::*:user/${aws:username}"))));
        sharedUserInlineNames.add("ReadOwnHomePrefix");
        sharedUserInline.add(policy(
                allow(List.of("s3:GetObject", "s3:PutObject"), List.of("arn:aws:s3:::home-" + account
                        + "/${aws:username}/*")),
                statement("Allow", "Action", List.of("s3:ListBucket"), "Resource", List.of("arn:aws:s3:::home-"
                        + account), condition("StringLike", "s3:prefix", "${aws:username}/*"))));
        for (String team : TEAMS) {
            sharedUserInlineNames.add(team + "-tickets-read");
            sharedUserInline.add(policy(statement("Allow", "Action", List.of("dynamodb:GetItem", "dynamodb:Query"),
                    "Resource", List.of("arn:aws:dynamodb:*:" + account + ":table/" + team + "-tickets"),
                    condition("Bool", "aws:SecureTransport", "true"))));
            sharedRoleInlineNames.add(team + "-secrets-read");
            sharedRoleInline.add(policy(allow(List.of("secretsmanager:GetSecretValue"),
                    List.of("arn:aws:secretsmanager:*:" + account + ":secret:" + team + "/*"))));
        }
        sharedRoleInlineNames.add("XRayWrite");
        sharedRoleInline.add(policy(allow(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
                List.of("*"))));
    }

    private Map<String, Object> uniqueUserInline(String user, String team) {
        return policy(statement("Allow", "Action", List.of("s3:GetObject", "s3:ListBucket"), "Resource",
                List.of("arn:aws:s3:::" + team + "-handover-" + hex(8) + "/" + user + "/*"),
                condition("DateLessThan", "aws:CurrentTime", "2027-0" + (1 + random.nextInt(9)) + "-01T00:00:00Z")));
    }

    private Map<String, Object> customerDocument(String team) {
        List<Map<String, Object>> statements = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            statements.add(accessStatement(team, pick(ENVS), random.nextBoolean(), random.nextInt(3) == 0, i));
        }
        if (random.nextInt(5) == 0) {
            statements.add(statement("Deny", "NotAction", List.of("iam:*", "sts:*", "support:*"), "Resource",
                    List.of("*"), condition("StringNotEquals", "aws:RequestedRegion", List.of(pick(REGIONS),
                    pick(REGIONS)))));
        }
        return policy(statements);
    }

    private Map<String, Object> boundaryDocument(String team) {
        List<String> services = new ArrayList<>();
        for (Access access : ACCESS) {
            services.add(access.service() + ":*");
        }
        return policy(
                statement("Allow", "Action", services, "Resource", List.of("*"), null),
                statement("Deny", "Action", List.of("iam:CreateUser", "iam:CreateAccessKey",
                        "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
                        "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary"), "Resource", List.of("*"),
                        null),
                statement("Deny", "Action", List.of("s3:*"), "Resource", List.of("arn:aws:s3:::" + team
                        + "-audit-*", "arn:aws:s3:::" + team + "-audit-*/*"), null));
    }

    /** A statement granting one service's read (and perhaps write) actions on the team's resources. */
    private Map<String, Object> accessStatement(String team, String env, boolean write, boolean conditional,
            int sid) {
        Access access = ACCESS.get(random.nextInt(ACCESS.size()));
        List<String> actions = new ArrayList<>(random.nextInt(4) == 0
                ? List.of(access.service() + ":Get*", access.service() + ":List*") : access.read());
        if (write) {
            actions.addAll(access.write());
        }
        String region = pick(REGIONS);
        List<String> resources = new ArrayList<>();
        for (String pattern : access.resources()) {
            resources.add(pattern.replace("{t}", team).replace("{e}", env).replace("{r}", region)
                    .replace("{a}", account));
        }
        Map<String, Object> condition = null;
        if (conditional) {
            condition = switch (random.nextInt(5)) {
                case 0 -> condition("Bool", "aws:SecureTransport", "true");
                case 1 -> condition("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}");
                case 2 -> condition("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8", "192.0.2.0/24"));
                case 3 -> condition("StringEquals", "aws:RequestedRegion", region);
                default -> condition("Bool", "aws:MultiFactorAuthPresent", "true");
            };
        }
        Map<String, Object> statement = statement("Allow", "Action", actions, "Resource",
                resources.size() == 1 ? resources : resources.subList(0, 1 + random.nextInt(resources.size())),
                condition);
        if (random.nextBoolean()) {
            Map<String, Object> withSid = new LinkedHashMap<>();
            withSid.put("Sid", Character.toUpperCase(access.service().charAt(0)) + access.service().substring(1)
                    + (write ? "ReadWrite" : "Read") + sid);
            withSid.putAll(statement);
            return withSid;
        }
        return statement;
    }

    @SafeVarargs
    private static Map<String, Object> policy(Map<String, Object>... statements) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            list.add(statement);
        }
        return policy(list);
    }

    private static Map<String, Object> policy(List<Map<String, Object>> statements) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.copyOf(statements));
        return policy;
    }

    private static Map<String, Object> allow(List<String> actions, List<String> resources) {
        return statement("Allow", "Action", actions, "Resource", resources, null);
    }

    private static Map<String, Object> statement(String effect, String actionKey, List<String> actions,
            String resourceKey, List<String> resources, Map<String, Object> condition) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", effect);
        statement.put(actionKey, actions.size() == 1 ? actions.get(0) : actions);
        statement.put(resourceKey, resources.size() == 1 ? resources.get(0) : resources);
        if (condition != null) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    private static Map<String, Object> trustStatement(Map<String, Object> principal, Map<String, Object> condition) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", principal);
        statement.put("Action", "sts:AssumeRole");
        if (condition != null) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    private static Map<String, Object> condition(String operator, String key, Object value) {
        return Map.of(operator, Map.of(key, value));
    }

    // ---- JSON and randomness --------------------------------------------------------------------

    /** A generator that prints like the AWS CLI, with two-space indentation: {@code "Key": value}, {@code []}. */
    private static JsonGenerator generator(OutputStream out) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                .withObjectIndenter(indenter).withArrayIndenter(indenter);
        JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        json.setPrettyPrinter(printer.createInstance());
        return json;
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName((String) entry.getKey());
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            json.writeString((String) value);
        }
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** {@code count} different elements of {@code values}, in a random order. */
    private List<String> distinct(List<String> values, int count) {
        List<String> chosen = new ArrayList<>();
        for (int tries = 0; chosen.size() < Math.min(count, values.size()) && tries < 100; tries++) {
            String value = values.get(random.nextInt(values.size()));
            if (!chosen.contains(value)) {
                chosen.add(value);
            }
        }
        return chosen;
    }

    /** A unique IAM id: the prefix and 17 base32 characters. */
    private String id(String prefix) {
        return id(prefix, 17);
    }

    private String id(String prefix, int length) {
        String id;
        do {
            id = prefix + chars(BASE32, length);
        } while (!usedIds.add(id));
        return id;
    }

    private String chars(String alphabet, int count) {
        char[] out = new char[count];
        for (int i = 0; i < count; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    private String hex(int count) {
        return chars("0123456789abcdef", count);
    }

    private String date() {
        return DATE.format(EPOCH.plusSeconds(random.nextInt(6 * 365 * 86_400)));
    }

    private String policyName(int index, boolean boundary) {
        String team = TEAMS[index % TEAMS.length];
        return boundary ? team + "-boundary-" + index : team + "-" + ACCESS.get(index % ACCESS.size()).service()
                + "-access-" + index;
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
