package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who-can on the demo directory ({@code corpus/demo}, described in its README), with the request
 * facts its README asks for (TLS, region eu-west-1). Each expectation is read from the demo's
 * policies; the comments say which.
 */
class WhoCanTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String PROD = "arn:aws:iam::111122223333:";
    private static final String DATA_OBJECT = "arn:aws:s3:::example-payments-data/orders/1.csv";
    private static final String REPORTS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ba0987654321";
    private static final String ORDERS = "arn:aws:sqs:eu-west-1:111122223333:orders";
    private static final String PAYMENTS_API = "arn:aws:lambda:eu-west-1:111122223333:function:payments-api";
    private static final String OTHER_FUNCTION = "arn:aws:lambda:eu-west-1:111122223333:function:orders-worker";

    private static Directory demo;
    private static WhoCan whoCan;

    @BeforeAll
    static void load() throws Exception {
        demo = DirectoryLoader.load(Path.of("corpus", "demo"));
        whoCan = new WhoCan(Engine.of(demo, CLOCK));
    }

    private static RequestContext.Builder secureInRegion() {
        return RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1");
    }

    private static ActionAnswer ask(String action, String resource, RequestContext context) throws RequestException {
        WhoCanReport report = whoCan.ask(List.of(action), resource, context);
        assertThat(report.actions()).hasSize(1);
        return report.actions().get(0);
    }

    private static List<String> arns(ActionAnswer answer) {
        return answer.principals().stream().map(Grant::arn).toList();
    }

    private static Grant grant(ActionAnswer answer, String arn) {
        return answer.principals().stream().filter(g -> g.arn().equals(arn)).findFirst().orElseThrow();
    }

    private static List<String> statements(List<MatchedStatement> statements) {
        return statements.stream().map(s -> s.policyType().cliName() + " " + s.statement()).toList();
    }

    @Test
    void readingThePaymentsDataIsForItsDevelopersAdminsAndTheAppRole() throws Exception {
        ActionAnswer answer = ask("s3:GetObject", DATA_OBJECT, secureInRegion().build());
        // alice: group developers' DeveloperAccess (PaymentsDataReadWrite), inside her boundary's ceiling.
        // carol and AdminRole: AdministratorAccess. AppRole: the bucket policy names it (AllowAppRoleRead).
        // Not bob (AuditRead reads no S3), not the roles scoped to other buckets or services, and nobody of
        // another account: the bucket policy names none, and a cross-account read needs it to.
        assertThat(arns(answer)).containsExactly(PROD + "user/alice", PROD + "user/carol", PROD + "role/AdminRole",
                PROD + "role/AppRole");
        assertThat(answer.principals()).allMatch(g -> g.verdict() == Verdict.ALLOWED);
        Grant alice = grant(answer, PROD + "user/alice");
        assertThat(alice.type()).isEqualTo(PrincipalType.USER);
        assertThat(alice.statements()).singleElement().satisfies(s -> {
            assertThat(s.policy()).isEqualTo(PROD + "policy/DeveloperAccess");
            assertThat(s.statement()).isEqualTo("PaymentsDataReadWrite");
            assertThat(s.location().line()).isPositive();
        });
        assertThat(statements(grant(answer, PROD + "role/AppRole").statements()))
                .containsExactly("resource AllowAppRoleRead");
        // The bucket policy names only AppRole, which the directory holds: nobody outside.
        assertThat(answer.outside()).isEmpty();
    }

    @Test
    void overPlainHttpTheBucketPolicyAndTheTlsRcpDenyEveryone() throws Exception {
        // DenyInsecureTransport in the bucket policy, and the Workloads RCP EnforceSecureTransport.
        ActionAnswer answer = ask("s3:GetObject", DATA_OBJECT,
                RequestContext.builder().put("aws:SecureTransport", "false").put("aws:RequestedRegion", "eu-west-1")
                        .build());
        assertThat(answer.anyone()).isFalse();
    }

    @Test
    void theReportsKeyDecryptsOnlyForTheRolesItsKeyPolicyNames() throws Exception {
        // The reports key policy does not delegate to the account: AllowReportReaders names SamlAnalystRole
        // and VendorAuditRole, and not even AdministratorAccess reaches the key.
        ActionAnswer answer = ask("kms:Decrypt", REPORTS_KEY, secureInRegion().build());
        assertThat(arns(answer)).containsExactly(PROD + "role/SamlAnalystRole", PROD + "role/VendorAuditRole");
        assertThat(answer.principals()).allSatisfy(g -> assertThat(statements(g.statements()))
                .containsExactly("resource AllowReportReaders"));
    }

    @Test
    void assumingTheVendorRoleTakesTheAuditorAndTheExternalId() throws Exception {
        String role = PROD + "role/VendorAuditRole";
        // The trust policy names account 777788889999 under sts:ExternalId; auditor's inline policy allows the
        // assumption. Both sides are the directory's, so auditor is listed and nothing is outside.
        ActionAnswer withId = ask("sts:AssumeRole", role, secureInRegion().put("sts:ExternalId", "vendor-7f3a91").build());
        assertThat(arns(withId)).containsExactly("arn:aws:iam::777788889999:user/auditor");
        assertThat(statements(withId.principals().get(0).statements()))
                .containsExactly("identity AssumeVendorAuditRole", "resource VendorAccount");
        assertThat(withId.outside()).isEmpty();
        // Without the external id, sts:ExternalId is unknown: auditor may assume the role exactly when the
        // request carries the external id VendorAccount's StringEquals asks for.
        ActionAnswer withoutId = ask("sts:AssumeRole", role, secureInRegion().build());
        Grant auditor = withoutId.principals().get(0);
        assertThat(arns(withoutId)).containsExactly("arn:aws:iam::777788889999:user/auditor");
        assertThat(auditor.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(auditor.condition().text()).isEqualTo("StringEquals sts:ExternalId [\"vendor-7f3a91\"]");
        assertThat(auditor.condition().holds(secureInRegion().put("sts:ExternalId", "vendor-7f3a91").build())).isTrue();
        assertThat(auditor.condition().holds(secureInRegion().put("sts:ExternalId", "guess").build())).isFalse();
        assertThat(auditor.condition().holds(secureInRegion().build())).isFalse();
        assertThat(statements(auditor.statements())).containsExactly("resource VendorAccount");
    }

    @Test
    void theOrdersQueueAdmitsSnsFromItsTopicAsAnOutsidePrincipal() throws Exception {
        // AllowOrderEventsTopic names the service sns.amazonaws.com when aws:SourceArn is the order-events topic.
        ActionAnswer fromTopic = ask("sqs:SendMessage", ORDERS, secureInRegion()
                .put("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:order-events").build());
        assertThat(fromTopic.outside()).singleElement().satisfies(outside -> {
            assertThat(outside.kind()).isEqualTo(OutsideKind.SERVICE);
            assertThat(outside.named()).isEqualTo("sns.amazonaws.com");
            assertThat(outside.needsOwnIdentityPolicies()).isFalse();
            assertThat(statements(outside.statements())).containsExactly("resource AllowOrderEventsTopic");
        });
        // alice (DeveloperAccess OrdersQueue), carol and AdminRole (AdministratorAccess), AppRole (the queue policy).
        assertThat(arns(fromTopic)).containsExactly(PROD + "user/alice", PROD + "user/carol", PROD + "role/AdminRole",
                PROD + "role/AppRole");
        ActionAnswer otherTopic = ask("sqs:SendMessage", ORDERS, secureInRegion()
                .put("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:other").build());
        assertThat(otherTopic.outside()).isEmpty();
    }

    @Test
    void aRoleIsAllowedForAnySessionWhenItsUnconditionalStatementGrants() throws Exception {
        // DeployRole may update payments-api by UpdatePaymentsFunction, which has no condition: whatever its
        // DeployToItsEnvironment statement says of a session's environment tag, every session is allowed.
        ActionAnswer answer = ask("lambda:UpdateFunctionCode", PAYMENTS_API, secureInRegion().build());
        assertThat(arns(answer)).containsExactly(PROD + "user/carol", PROD + "role/AdminRole", PROD + "role/DeployRole");
        assertThat(answer.principals()).allMatch(g -> g.verdict() == Verdict.ALLOWED && g.condition() == null);
        Grant deploy = grant(answer, PROD + "role/DeployRole");
        assertThat(deploy.dependsOnSession()).isFalse();
        assertThat(statements(deploy.statements())).containsExactly("identity UpdatePaymentsFunction");
    }

    @Test
    void aRoleGatedByASessionTagIsConditionalOnIt() throws Exception {
        // Another function: only DeployToItsEnvironment covers it for DeployRole, allowing
        // lambda:UpdateFunctionCode on any function of the account when
        //   "StringEquals": {"aws:ResourceTag/environment": "${aws:PrincipalTag/environment}"}.
        // The function's tag is not given, and a session's environment tag is its own (DeployRole has none
        // of its own; a session may carry one), so both are unknown and the condition is that test itself.
        // carol and AdminRole are allowed whatever the keys are (AdministratorAccess has no condition).
        ActionAnswer answer = ask("lambda:UpdateFunctionCode", OTHER_FUNCTION, secureInRegion().build());
        assertThat(arns(answer)).containsExactly(PROD + "user/carol", PROD + "role/AdminRole", PROD + "role/DeployRole");
        Grant deploy = grant(answer, PROD + "role/DeployRole");
        assertThat(deploy.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(deploy.condition().text())
                .isEqualTo("StringEquals aws:ResourceTag/environment [\"${aws:PrincipalTag/environment}\"]");
        assertThat(deploy.condition().holds(secureInRegion().put("aws:ResourceTag/environment", "prod")
                .put("aws:PrincipalTag/environment", "prod").build())).isTrue();
        assertThat(deploy.condition().holds(secureInRegion().put("aws:ResourceTag/environment", "prod")
                .put("aws:PrincipalTag/environment", "staging").build())).isFalse();
        assertThat(deploy.condition().holds(secureInRegion().put("aws:ResourceTag/environment", "prod").build()))
                .isFalse();
        assertThat(deploy.sessionKeys()).containsExactly("aws:PrincipalTag/environment");
        assertThat(deploy.dependsOnSession()).isTrue();
        assertThat(statements(deploy.statements())).containsExactly("identity DeployToItsEnvironment");
        assertThat(grant(answer, PROD + "role/AdminRole").verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(grant(answer, PROD + "user/carol").condition()).isNull();
    }

    @Test
    void aDenyOnAnUnknownKeyMakesAnAllowedPrincipalConditional() throws Exception {
        // Over plain HTTP everyone is denied (below); with aws:SecureTransport not given, the bucket policy's
        // DenyInsecureTransport and the Workloads RCP's EnforceSecureTransport deny only when it is false, so
        // AppRole, allowed by AllowAppRoleRead, is allowed exactly when neither deny applies.
        ActionAnswer answer = ask("s3:GetObject", DATA_OBJECT, RequestContext.builder()
                .put("aws:RequestedRegion", "eu-west-1").build());
        Grant app = grant(answer, PROD + "role/AppRole");
        assertThat(app.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(app.condition().holds(secureInRegion().build())).isTrue();
        assertThat(app.condition().holds(RequestContext.builder().put("aws:SecureTransport", "false")
                .put("aws:RequestedRegion", "eu-west-1").build())).isFalse();
        assertThat(answer.principals()).allMatch(g -> g.verdict() == Verdict.CONDITIONAL);
    }

    @Test
    void theCoverageNamesEveryAccountAndCountsEveryPrincipal() throws Exception {
        WhoCanReport report = whoCan.ask(List.of("s3:GetObject", "s3:DeleteObject"), DATA_OBJECT,
                secureInRegion().build());
        assertThat(report.actions()).extracting(ActionAnswer::action).containsExactly("s3:GetObject", "s3:DeleteObject");
        int users = demo.accounts().stream().mapToInt(a -> a.users().size()).sum();
        int roles = demo.accounts().stream().mapToInt(a -> a.roles().size()).sum();
        assertThat(report.coverage().accounts()).containsExactly("111122223333", "444455556666", "777788889999",
                "999988887777");
        assertThat(report.coverage().users()).isEqualTo(users);
        assertThat(report.coverage().roles()).isEqualTo(roles);
        assertThat(report.coverage().notHeld()).isEmpty();
        assertThat(report.coverage().undecided()).isEmpty();
        // alice's boundary leaves s3:DeleteObject out; only AdministratorAccess deletes.
        assertThat(arns(report.actions().get(1))).containsExactly(PROD + "user/carol", PROD + "role/AdminRole");
    }

    @Test
    void followingRolesAddsTheAuditorWhoDecryptsReportsThroughTheVendorRole() throws Exception {
        RequestContext withExternalId = secureInRegion().put("sts:ExternalId", "vendor-7f3a91").build();
        // Direct: the two roles the reports key policy names (as above). One step: auditor may assume
        // VendorAuditRole (its inline policy and the role's trust policy, with the external id); nobody may
        // assume SamlAnalystRole with sts:AssumeRole (its trust policy is for SAML sign-in only).
        ActionAnswer answer = whoCan.ask(List.of("kms:Decrypt"), REPORTS_KEY, withExternalId, 1).actions().get(0);
        assertThat(arns(answer)).containsExactly(PROD + "role/SamlAnalystRole", PROD + "role/VendorAuditRole",
                "arn:aws:iam::777788889999:user/auditor");
        Grant auditor = grant(answer, "arn:aws:iam::777788889999:user/auditor");
        assertThat(auditor.via()).containsExactly(PROD + "role/VendorAuditRole");
        assertThat(statements(auditor.statements())).containsExactly("identity AssumeVendorAuditRole",
                "resource VendorAccount");
        assertThat(grant(answer, PROD + "role/VendorAuditRole").via()).isEmpty();
        assertThat(auditor.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(auditor.stepConditions()).containsExactly(Residual.TRUE, Residual.TRUE);
        // Without following roles, auditor is not listed.
        assertThat(arns(whoCan.ask(List.of("kms:Decrypt"), REPORTS_KEY, withExternalId, 0).actions().get(0)))
                .doesNotContain("arn:aws:iam::777788889999:user/auditor");
    }

    @Test
    void withoutTheExternalIdTheAuditorsChainIsConditionalOnItsFirstStep() throws Exception {
        ActionAnswer answer = whoCan.ask(List.of("kms:Decrypt"), REPORTS_KEY, secureInRegion().build(), 3)
                .actions().get(0);
        Grant auditor = grant(answer, "arn:aws:iam::777788889999:user/auditor");
        assertThat(auditor.via()).containsExactly(PROD + "role/VendorAuditRole");
        assertThat(auditor.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(auditor.condition().text()).isEqualTo("StringEquals sts:ExternalId [\"vendor-7f3a91\"]");
        // Assuming VendorAuditRole wants the external id; the role then decrypts whatever the keys are.
        assertThat(auditor.stepConditions()).extracting(Residual::text)
                .containsExactly("StringEquals sts:ExternalId [\"vendor-7f3a91\"]", "true");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> whoCan.ask(List.of("s3GetObject"), DATA_OBJECT, RequestContext.empty()))
                .isInstanceOf(RequestException.class).hasMessageContaining("action").hasMessageContaining("s3GetObject");
        assertThatThrownBy(() -> whoCan.ask(List.of(), DATA_OBJECT, RequestContext.empty()))
                .isInstanceOf(RequestException.class).hasMessageContaining("action");
        assertThatThrownBy(() -> whoCan.ask(List.of("s3:GetObject"), "example-payments-data", RequestContext.empty()))
                .isInstanceOf(RequestException.class).hasMessageContaining("resource")
                .hasMessageContaining("example-payments-data");
        assertThatThrownBy(() -> whoCan.ask(List.of("s3:GetObject"), DATA_OBJECT,
                RequestContext.builder().put("aws:PrincipalTag/team", "payments").build()))
                .isInstanceOf(RequestException.class).hasMessageContaining("context.aws:PrincipalTag/team");
        assertThatThrownBy(() -> whoCan.ask(List.of("s3:GetObject"), DATA_OBJECT, RequestContext.empty(),
                WhoCan.MAX_STEPS + 1)).isInstanceOf(RequestException.class).hasMessageContaining("transitive");
    }
}
