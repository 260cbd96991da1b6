package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-can on the demo directory ({@code corpus/demo}, described in its README), with a small
 * catalog of the actions its policies name. Each expectation is read from the demo's policies;
 * the comments say which.
 */
class WhatCanTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String BUCKET = "arn:aws:s3:::example-payments-data";
    private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String ORDERS = "arn:aws:sqs:eu-west-1:111122223333:orders";

    private static WhatCan whatCan;

    @BeforeAll
    static void load(@TempDir Path folder) throws Exception {
        Path catalog = folder.resolve("catalog.json");
        Files.writeString(catalog, """
                {"s3": {"actions": ["GetObject", "PutObject", "DeleteObject", "ListBucket", "PutBucketPolicy"]},
                 "sqs": {"actions": ["SendMessage", "ReceiveMessage", "GetQueueAttributes"]},
                 "kms": {"actions": ["Decrypt", "GenerateDataKey", "DescribeKey", "CreateGrant"]},
                 "iam": {"actions": ["PassRole", "GetUser", "ChangePassword", "CreateUser"]},
                 "sts": {"actions": ["AssumeRole", "TagSession"]},
                 "lambda": {"actions": ["GetFunction", "InvokeFunction"]}}
                """);
        whatCan = new WhatCan(Engine.of(DirectoryLoader.load(Path.of("corpus", "demo")), CLOCK),
                ServiceCatalog.load(catalog));
    }

    private static RequestContext secureInRegion() {
        return RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                .build();
    }

    /** Each entry as {@code verdict action resource}. */
    private static List<String> entries(WhatCanReport report) {
        return report.reaches().stream()
                .map(reach -> reach.verdict().jsonName() + " " + reach.action() + " " + reach.resource()).toList();
    }

    private static Reach entry(WhatCanReport report, String action, String resource) {
        return report.reaches().stream().filter(r -> r.action().equals(action) && r.resource().equals(resource))
                .findFirst().orElseThrow();
    }

    @Test
    void aliceReachesWhatDeveloperAccessGrantsWithinHerBoundary() throws Exception {
        WhatCanReport report = whatCan.ask(ALICE, null, null, secureInRegion());
        // DeveloperAccess (group developers) grants these; DeveloperBoundary leaves out s3:DeleteObject.
        assertThat(entries(report)).containsExactly(
                "conditional iam:PassRole arn:aws:iam::111122223333:role/AppRole",
                "allowed kms:Decrypt " + KEY,
                "allowed kms:GenerateDataKey " + KEY,
                "allowed s3:ListBucket " + BUCKET,
                "allowed s3:ListBucket " + BUCKET + "/*",
                "allowed s3:GetObject " + BUCKET,
                "allowed s3:GetObject " + BUCKET + "/*",
                "allowed s3:PutObject " + BUCKET,
                "allowed s3:PutObject " + BUCKET + "/*",
                "allowed sqs:ReceiveMessage " + ORDERS,
                "allowed sqs:SendMessage " + ORDERS);
        assertThat(report.type()).isEqualTo(PrincipalType.USER);
        assertThat(entry(report, "s3:GetObject", BUCKET + "/*").statements())
                .extracting(s -> s.policy() + " " + s.statement())
                .containsExactly("arn:aws:iam::111122223333:policy/DeveloperAccess PaymentsDataReadWrite");
        // PassAppRole is limited to the services iam:PassedToService names, which a question cannot know.
        assertThat(entry(report, "iam:PassRole", "arn:aws:iam::111122223333:role/AppRole").condition().text())
                .isEqualTo("StringEquals iam:PassedToService [\"ec2.amazonaws.com\", \"lambda.amazonaws.com\"]");
        // The key's policy lets the account's IAM policies grant it, so it grants alongside DeveloperAccess.
        assertThat(entry(report, "kms:Decrypt", KEY).statements()).extracting(s -> s.policyType().cliName())
                .containsExactly("identity", "resource");
        assertThat(report.coverage().undecided()).isEmpty();
        assertThat(report.coverage().unwritten()).isEmpty();
    }

    @Test
    void withoutTheRequestFactsTheGuardrailsMakeHerS3AccessConditional() throws Exception {
        WhatCanReport report = whatCan.ask(ALICE, "s3", null, RequestContext.empty());
        Reach get = entry(report, "s3:GetObject", BUCKET + "/*");
        assertThat(get.verdict()).isEqualTo(Verdict.CONDITIONAL);
        // RegionGuardrail (SCP) and EnforceSecureTransport (RCP) deny unless the region and TLS say otherwise.
        assertThat(get.condition().text()).contains("aws:RequestedRegion").contains("aws:SecureTransport");
        assertThat(get.statements()).extracting(s -> s.statement()).contains("PaymentsDataReadWrite",
                "DenyOutsideApprovedRegions", "EnforceSecureTransport");
        assertThat(report.reaches()).allSatisfy(reach -> assertThat(reach.service()).isEqualTo("s3"));
    }

    @Test
    void anAdministratorRoleReachesEverythingButWhatTheBucketPolicyDenies() throws Exception {
        WhatCanReport report = whatCan.ask("arn:aws:iam::111122223333:role/AdminRole", "s3", null,
                secureInRegion());
        assertThat(report.type()).isEqualTo(PrincipalType.ROLE);
        Reach get = entry(report, "s3:GetObject", "*");
        assertThat(get.verdict()).isEqualTo(Verdict.ALLOWED);
        // The payments bucket's policy denies requests without TLS: within *, only when its conditions hold.
        assertThat(get.excluded()).extracting(Reach.Excluded::resource).containsExactly(BUCKET, BUCKET + "/*");
        assertThat(get.excluded()).allSatisfy(excluded -> assertThat(excluded.conditional()).isTrue());
        assertThat(entries(report)).contains("allowed s3:PutBucketPolicy *", "allowed s3:DeleteObject *");
    }

    @Test
    void aResourceNarrowsTheAnswerToWhatMayBeDoneOnIt() throws Exception {
        String object = BUCKET + "/orders/1.csv";
        WhatCanReport report = whatCan.ask(ALICE, null, object, secureInRegion());
        assertThat(entries(report)).containsExactly("allowed s3:ListBucket " + object,
                "allowed s3:GetObject " + object, "allowed s3:PutObject " + object);
    }

    @Test
    void aPrincipalTheDirectoryDoesNotHoldIsRefusedByField() {
        assertThatThrownBy(() -> whatCan.ask("arn:aws:iam::111122223333:user/mallory", null, null,
                RequestContext.empty())).isInstanceOf(RequestException.class).hasMessageContaining("principal")
                .hasMessageContaining("mallory");
        assertThatThrownBy(() -> whatCan.ask(ALICE, null, "bucket", RequestContext.empty()))
                .isInstanceOf(RequestException.class).hasMessageContaining("resource");
        assertThatThrownBy(() -> whatCan.ask(ALICE, null, null, RequestContext.builder()
                .put("aws:username", "bob").build())).isInstanceOf(RequestException.class)
                .hasMessageContaining("aws:username");
    }
}
