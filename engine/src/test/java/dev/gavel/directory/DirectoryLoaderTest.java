package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gavel.eval.Decision;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading directories: what loads, and that every problem is reported with where it is, loading nothing. */
class DirectoryLoaderTest {

    private static final String POLICY = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

    @TempDir
    Path folder;

    private Path account;

    /** A small valid account: one group, one user in it, one role, one customer managed policy. */
    private static String accountJson(String userArn, String groupName, String document) {
        return """
                {
                  "UserDetailList": [{"Path": "/", "UserName": "alice", "UserId": "AIDAEXAMPLE0000000001",
                    "Arn": "%s", "GroupList": ["%s"], "AttachedManagedPolicies": [],
                    "Tags": [{"Key": "team", "Value": "payments"}]}],
                  "GroupDetailList": [{"Path": "/", "GroupName": "developers", "GroupId": "AGPAEXAMPLE0000000001",
                    "Arn": "arn:aws:iam::111122223333:group/developers", "GroupPolicyList": [],
                    "AttachedManagedPolicies": [{"PolicyName": "Read", "PolicyArn": "arn:aws:iam::111122223333:policy/Read"}]}],
                  "RoleDetailList": [{"Path": "/service-role/", "RoleName": "App", "RoleId": "AROAEXAMPLE0000000001",
                    "Arn": "arn:aws:iam::111122223333:role/service-role/App", "AssumeRolePolicyDocument": %s,
                    "RolePolicyList": [{"PolicyName": "Inline", "PolicyDocument": %s}], "AttachedManagedPolicies": []}],
                  "Policies": [{"PolicyName": "Read", "PolicyId": "ANPAEXAMPLE0000000001",
                    "Arn": "arn:aws:iam::111122223333:policy/Read", "Path": "/", "DefaultVersionId": "v2",
                    "PolicyVersionList": [{"Document": %s, "VersionId": "v2", "IsDefaultVersion": true},
                                          {"Document": {"Statement": []}, "VersionId": "v1", "IsDefaultVersion": false}]}]
                }
                """.formatted(userArn, groupName, TRUST, POLICY, document);
    }

    @BeforeEach
    void validAccount() throws IOException {
        Files.createDirectories(folder.resolve("accounts"));
        account = folder.resolve("accounts/111122223333.json");
        Files.writeString(account, accountJson("arn:aws:iam::111122223333:user/alice", "developers", POLICY));
    }

    private List<LoadProblem> problems() {
        try {
            DirectoryLoader.load(folder);
        } catch (DirectoryException e) {
            return e.problems();
        }
        throw new AssertionError("the directory loaded");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text);
    }

    @Test
    void aValidDirectoryLoads() throws Exception {
        Directory directory = DirectoryLoader.load(folder);
        Account loaded = directory.account("111122223333");
        assertThat(loaded.user("ALICE").tags()).containsExactly(new Tag("team", "payments"));
        assertThat(loaded.group("developers").attachedPolicyArns()).containsExactly("arn:aws:iam::111122223333:policy/Read");
        assertThat(loaded.policy("arn:aws:iam::111122223333:policy/Read").document().statements()).hasSize(1);
        assertThat(directory.role("arn:aws:iam::111122223333:role/service-role/App").maxSessionDurationSeconds())
                .isEqualTo(3600);
        assertThat(directory.role("arn:aws:iam::111122223333:role/App")).isNull();
        assertThat(directory.user("arn:aws:iam::111122223333:user/alice")).isNotNull();
        assertThat(directory.organization()).isNull();
    }

    @Test
    void aResourceEntryWithoutAPolicyNamesItsOwner() throws Exception {
        write("resource-policies.json", "{\"ResourcePolicies\": [{\"ResourceArn\": \"arn:aws:s3:::artifacts\", "
                + "\"Account\": \"444455556666\"}]}");
        Directory directory = DirectoryLoader.load(folder);
        assertThat(directory.resourceAccount("arn:aws:s3:::artifacts/build/1.zip")).isEqualTo("444455556666");
        assertThat(directory.resourcePolicy("arn:aws:s3:::artifacts/build/1.zip").policy()).isNull();
    }

    private static final String PUBLIC_READ = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::site/*\"}]}";

    @Test
    void aBucketsBlockPublicAccessRestrictsWhatItsPublicPolicyGrants() throws Exception {
        write("resource-policies.json", "{\"ResourcePolicies\": [{\"ResourceArn\": \"arn:aws:s3:::site\", "
                + "\"Account\": \"111122223333\", \"Policy\": " + PUBLIC_READ + ", \"PublicAccessBlockConfiguration\": "
                + "{\"BlockPublicAcls\": true, \"IgnorePublicAcls\": true, \"BlockPublicPolicy\": false, "
                + "\"RestrictPublicBuckets\": true}}]}");
        Directory directory = DirectoryLoader.load(folder);
        assertThat(directory.resourcePolicy("arn:aws:s3:::site/index.html").restrictPublicBuckets()).isTrue();
        Authorizer authorizer = new Authorizer(directory, Clock.systemUTC());
        Identity alice = authorizer.identity("arn:aws:iam::111122223333:user/alice");
        // The bucket owner's own principals keep what the public policy grants them.
        assertThat(authorizer.authorize(alice, "s3:GetObject", "arn:aws:s3:::site/index.html", null).decision())
                .isEqualTo(Decision.ALLOWED);
        assertThat(authorizer.prepare(alice, "s3:GetObject", "arn:aws:s3:::site/index.html", null).policies()
                .restrictPublicBuckets()).isTrue();
    }

    @Test
    void blockPublicAccessIsCheckedAgainstTheBucketAndItsPolicy() throws IOException {
        write("resource-policies.json", "{\"ResourcePolicies\": [\n"
                + "{\"ResourceArn\": \"arn:aws:s3:::site\", \"Account\": \"111122223333\", \"Policy\": " + PUBLIC_READ
                + ", \"PublicAccessBlockConfiguration\": {\"BlockPublicPolicy\": true}},\n"
                + "{\"ResourceArn\": \"arn:aws:sqs:eu-west-1:111122223333:q\", "
                + "\"PublicAccessBlockConfiguration\": {\"RestrictPublicBuckets\": true}},\n"
                + "{\"ResourceArn\": \"arn:aws:s3:::other\", \"Account\": \"111122223333\", "
                + "\"PublicAccessBlockConfiguration\": {\"RestrictPublicBuckets\": \"yes\"}}]}");
        assertThat(problems()).extracting(LoadProblem::line, LoadProblem::path).containsExactly(
                tuple(2, "ResourcePolicies[0].Policy"),
                tuple(3, "ResourcePolicies[1].PublicAccessBlockConfiguration"),
                tuple(4, "ResourcePolicies[2].PublicAccessBlockConfiguration"
                        + ".RestrictPublicBuckets"));
        assertThat(problems().get(0).message()).contains("BlockPublicPolicy is on");
        assertThat(problems().get(1).message()).contains("is not a bucket");
        assertThat(problems().get(2).message()).isEqualTo("must be true or false, found string");
    }

    @Test
    void urlEncodedDocumentsLoadAsTheCliOncePrintedThem() throws Exception {
        String encoded = "\"" + URLEncoder.encode(POLICY, StandardCharsets.UTF_8).replace("+", "%20") + "\"";
        Files.writeString(account, accountJson("arn:aws:iam::111122223333:user/alice", "developers", encoded));
        Directory directory = DirectoryLoader.load(folder);
        assertThat(directory.account("111122223333").policy("arn:aws:iam::111122223333:policy/Read").document()
                .statements().get(0).action().patterns().get(0).value()).isEqualTo("s3:GetObject");
    }

    @Test
    void reportsEveryProblemOfTheAccountWithItsPlace() throws IOException {
        String bad = accountJson("arn:aws:iam::444455556666:user/alice", "testers",
                POLICY.replace("\"Allow\"", "\"allow\""));
        Files.writeString(account, bad);
        List<LoadProblem> problems = problems();
        assertThat(problems).extracting(LoadProblem::message).anySatisfy(m -> assertThat(m).contains(
                "belongs to account 444455556666")).anySatisfy(m -> assertThat(m).contains(
                "refers to group \"testers\"")).anySatisfy(m -> assertThat(m).startsWith("INVALID_EFFECT"));
        LoadProblem effect = problems.stream().filter(p -> p.message().startsWith("INVALID_EFFECT")).findFirst()
                .orElseThrow();
        assertThat(effect.file()).endsWith("111122223333.json");
        assertThat(effect.path()).isEqualTo("Policies[0].PolicyVersionList[0].Document.Statement[0].Effect");
        assertThat(bad.split("\n")[effect.line() - 1].substring(effect.column() - 1)).startsWith("\"allow\"");
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPositive());
    }

    @Test
    void problemsInSeveralFilesAreAllReported() throws IOException {
        write("access-keys.json", """
                {"AccessKeys": [
                  {"AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "short", "UserArn": "arn:aws:iam::111122223333:user/nobody",
                   "Status": "Enabled", "CreateDate": "2025-01-01T00:00:00Z"}]}
                """);
        write("session-keys.json", "{\"SessionKeys\": [{\"KeyId\": \"k1\", \"Secret\": \"c2hvcnQ=\", \"CreateDate\": \"2025-01-01\"}]}");
        write("resource-policies.json", "{\"ResourcePolicies\": [{\"ResourceArn\": \"arn:aws:s3:::bucket\", \"Policy\": "
                + TRUST + "}]}");
        write("acess-keys.json", "{}");
        List<LoadProblem> problems = problems();
        assertThat(problems).extracting(LoadProblem::format)
                .anySatisfy(p -> assertThat(p).contains("access-keys.json:2:").contains("AccessKeys[0].AccessKeyId"))
                .anySatisfy(p -> assertThat(p).contains("SecretAccessKey: a secret access key has 40 characters"))
                .anySatisfy(p -> assertThat(p).contains("no user arn:aws:iam::111122223333:user/nobody"))
                .anySatisfy(p -> assertThat(p).contains("Status: must be \"Active\" or \"Inactive\""))
                .anySatisfy(p -> assertThat(p).contains("session-keys.json").contains("must be 32 random bytes"))
                .anySatisfy(p -> assertThat(p).contains("is not an ISO 8601 timestamp"))
                .anySatisfy(p -> assertThat(p).contains("resource-policies.json").contains("\"Account\" is needed"))
                .anySatisfy(p -> assertThat(p).contains("acess-keys.json").contains("unknown directory file"));
    }

    @Test
    void identityProvidersAreChecked() throws IOException {
        write("identity-providers.json", """
                {"OpenIDConnectProviders": [
                   {"Arn": "arn:aws:iam::111122223333:oidc-provider/issuer.example.com", "Url": "http://issuer.example.com",
                    "ClientIDList": [], "Jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}},
                   {"Arn": "arn:aws:iam::999999999999:oidc-provider/other.example.com", "Url": "https://other.example.com",
                    "ClientIDList": ["sts.amazonaws.com"], "Jwks": "not json"}],
                 "SAMLProviders": [{"Arn": "arn:aws:iam::111122223333:saml-provider/Idp", "SAMLMetadataDocument": "<x/>"}]}
                """);
        assertThat(problems()).extracting(LoadProblem::message)
                .anySatisfy(m -> assertThat(m).contains("starts with https://"))
                .anySatisfy(m -> assertThat(m).contains("at least one client id"))
                .anySatisfy(m -> assertThat(m).contains("private key material"))
                .anySatisfy(m -> assertThat(m).contains("account 999999999999 is not in the directory"))
                .anySatisfy(m -> assertThat(m).contains("Could not parse metadata: its root element is not a SAML 2.0"));
    }

    @Test
    void theOrganizationIsChecked() throws IOException {
        write("organization.json", """
                {"Organization": {"Id": "o-a1b2c3d4e5", "ManagementAccountId": "999988887777"},
                 "Policies": {"ServiceControlPolicies": {"FullAWSAccess": {"Version": "2012-10-17", "Statement":
                   [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
                   "ResourceControlPolicies": {"Bad": {"Version": "2012-10-17", "Statement":
                   [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}}},
                 "Root": {"Id": "r-a1b2", "ServiceControlPolicies": ["FullAWSAccess"],
                   "OrganizationalUnits": [{"Id": "ou-a1b2-11111111", "Name": "Workloads", "ServiceControlPolicies": [],
                     "Accounts": [{"Id": "111122223333", "ServiceControlPolicies": ["FullAWSAccess", "Missing"]}]}],
                   "Accounts": [{"Id": "111122223333", "ServiceControlPolicies": ["FullAWSAccess"]},
                                {"Id": "444455556666", "ServiceControlPolicies": ["FullAWSAccess"]}]}}
                """);
        assertThat(problems()).extracting(LoadProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("EFFECT_NOT_ALLOWED"))
                .anySatisfy(m -> assertThat(m).contains("needs at least one service control policy"))
                .anySatisfy(m -> assertThat(m).contains("no policy named \"Missing\""))
                .anySatisfy(m -> assertThat(m).contains("account 111122223333 appears twice"))
                .anySatisfy(m -> assertThat(m).contains("has no accounts/444455556666.json"))
                .anySatisfy(m -> assertThat(m).contains("management account 999988887777 is not in the organization"));
    }

    @Test
    void aFailedLoadNamesEveryProblemAndLoadsNothing() throws IOException {
        Files.writeString(account, "{\"UserDetailList\": [}");
        Files.writeString(folder.resolve("accounts/not-an-account.json"), "{}");
        assertThatThrownBy(() -> DirectoryLoader.load(folder)).isInstanceOfSatisfying(DirectoryException.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.getMessage()).startsWith("2 problems in the directory; nothing was loaded")
                    .contains("111122223333.json:1:").contains("named by their 12-digit account id");
        });
        assertThatThrownBy(() -> DirectoryLoader.load(folder.resolve("absent")))
                .hasMessageContaining("not a directory folder");
    }
}
