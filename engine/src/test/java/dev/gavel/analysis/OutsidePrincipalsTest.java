package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.eval.RequestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who-can reads a resource's policy, or a role's trust policy, for the principals outside the
 * directory it names, with the policy's denies and the resource account's RCPs applied; and
 * follows the engine to a new snapshot.
 */
class OutsidePrincipalsTest {

    private static final String OWN = "111122223333";
    private static final String BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Partners", "Effect": "Allow",
               "Principal": {"AWS": ["444455556666", "arn:aws:iam::555566667777:role/Partner",
                                     "arn:aws:iam::111122223333:role/Gone", "arn:aws:iam::111122223333:role/App"]},
               "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::shared/*"},
              {"Sid": "Trail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
               "Action": "s3:PutObject", "Resource": "arn:aws:s3:::shared/*"},
              {"Sid": "Public", "Effect": "Allow", "Principal": "*",
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/public/*"},
              {"Sid": "NoSecretsForPartner", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::555566667777:role/Partner"},
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/secret/*"}]}
            """;
    private static final String APP_TRUST = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "PartnerAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::555566667777:root"},
               "Action": "sts:AssumeRole"}]}
            """;
    private static final String TLS_RCP = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "OnlyTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            """;
    private static final String FULL_ACCESS = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            """;

    private static final String VENDOR_TRUST = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "VendorWithId", "Effect": "Allow", "Principal": {"AWS": "777788889999"},
               "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "vendor-7f3a91"}}}]}
            """;
    private static final String ORG_BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "OurOrganization", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::org-shared/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}},
              {"Sid": "PartnerThroughItsEndpoint", "Effect": "Allow", "Principal": {"AWS": "444455556666"},
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::org-shared/*",
               "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d"}}},
              {"Sid": "ConfigForOurAccount", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::org-shared/*",
               "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}
            """;

    private static Directory directory(String alicePolicy) throws Exception {
        return Directory.builder()
                .organization("o-abc", "999999999999", org -> org.scp("FullAWSAccess", FULL_ACCESS, true)
                        .rcp("OnlyTls", TLS_RCP, true).unit("Workloads", List.of("FullAWSAccess"), List.of(OWN)))
                .account(OWN, account -> account
                        .user("alice", user -> {
                            if (alicePolicy != null) {
                                user.inline("Read", alicePolicy);
                            }
                        })
                        .role("App", APP_TRUST, role -> { })
                        .role("Vendor", VENDOR_TRUST, role -> { }))
                .resourcePolicy("arn:aws:s3:::shared", OWN, BUCKET_POLICY)
                .resourcePolicy("arn:aws:s3:::org-shared", OWN, ORG_BUCKET_POLICY)
                .build();
    }

    private static RequestContext tls(boolean secure) {
        return RequestContext.builder().put("aws:SecureTransport", Boolean.toString(secure)).build();
    }

    private static List<String> outside(ActionAnswer answer) {
        return answer.outside().stream().map(o -> o.kind().jsonName() + " " + o.named()
                + (o.needsOwnIdentityPolicies() ? " (needs its own side)" : "")).toList();
    }

    /** Each outside entry as "verdict kind named", then "when CONDITION" for a conditional one. */
    private static List<String> verdicts(ActionAnswer answer) {
        return answer.outside().stream().map(o -> o.verdict().jsonName() + " " + o.kind().jsonName() + " " + o.named()
                + (o.condition() == null ? "" : " when " + o.condition().text())).toList();
    }

    private static RequestContext tlsWith(String key, String value) {
        return RequestContext.builder().put("aws:SecureTransport", "true").put(key, value).build();
    }

    @Test
    void aTrustPolicyWantingAnExternalIdAdmitsTheVendorOnlyUnderThatCondition() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        String vendor = "arn:aws:iam::111122223333:role/Vendor";
        ActionAnswer unknown = whoCan.ask(List.of("sts:AssumeRole"), vendor, tls(true)).actions().get(0);
        assertThat(verdicts(unknown)).containsExactly(
                "conditional account 777788889999 when StringEquals sts:ExternalId [\"vendor-7f3a91\"]");
        OutsideGrant grant = unknown.outside().get(0);
        assertThat(grant.needsOwnIdentityPolicies()).isTrue();
        assertThat(grant.statements()).extracting(s -> s.statement()).containsExactly("VendorWithId");
        assertThat(grant.condition().holds(tlsWith("sts:ExternalId", "vendor-7f3a91"))).isTrue();
        assertThat(grant.condition().holds(tls(true))).isFalse();
        // Given, the external id decides: the right one allows, any other leaves the vendor out.
        assertThat(verdicts(whoCan.ask(List.of("sts:AssumeRole"), vendor, tlsWith("sts:ExternalId", "vendor-7f3a91"))
                .actions().get(0))).containsExactly("allowed account 777788889999");
        assertThat(whoCan.ask(List.of("sts:AssumeRole"), vendor, tlsWith("sts:ExternalId", "guess")).actions().get(0)
                .outside()).isEmpty();
    }

    @Test
    void aBucketPolicyOnTheCallersOrganizationOrEndpointOrSourceAccountListsThemConditional() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        String object = "arn:aws:s3:::org-shared/report.csv";
        ActionAnswer unknown = whoCan.ask(List.of("s3:GetObject"), object, tls(true)).actions().get(0);
        // Everyone stands for any caller, whose organization is unknown; so does the partner account, which "*"
        // names too. The service's own principal keys are known, the account it acts for is not.
        assertThat(verdicts(unknown)).containsExactly(
                "conditional everyone * when StringEquals aws:PrincipalOrgID [\"o-abc\"]",
                "conditional account 444455556666 when StringEquals aws:PrincipalOrgID [\"o-abc\"] OR StringEquals "
                        + "aws:SourceVpce [\"vpce-0a1b2c3d\"]",
                "conditional service config.amazonaws.com when StringEquals aws:SourceAccount [\"111122223333\"]");
        ActionAnswer throughEndpoint = whoCan.ask(List.of("s3:GetObject"), object,
                tlsWith("aws:SourceVpce", "vpce-0a1b2c3d")).actions().get(0);
        assertThat(verdicts(throughEndpoint)).contains("allowed account 444455556666");
        ActionAnswer otherSource = whoCan.ask(List.of("s3:GetObject"), object,
                tlsWith("aws:SourceAccount", "999988887777")).actions().get(0);
        assertThat(verdicts(otherSource)).noneMatch(entry -> entry.contains("config.amazonaws.com"));
    }

    @Test
    void anOutsideAccountAndRoleAreListedWithTheirOwnSideLeftOpenAndMissingOnesReported() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        WhoCanReport report = whoCan.ask(List.of("s3:GetObject"), "arn:aws:s3:::shared/data.csv", tls(true));
        ActionAnswer answer = report.actions().get(0);
        // Partners names two principals outside the directory; App is the directory's own and is decided with
        // its principals (the bucket policy alone allows its sessions, same account). Gone is named in an account
        // the directory holds but does not exist. Public covers only public/*.
        assertThat(outside(answer)).containsExactly("account 444455556666 (needs its own side)",
                "role arn:aws:iam::555566667777:role/Partner (needs its own side)");
        assertThat(answer.principals()).extracting(Grant::arn).containsExactly("arn:aws:iam::111122223333:role/App");
        assertThat(answer.outside().get(0).statements()).extracting(s -> s.statement()).containsExactly("Partners");
        assertThat(report.coverage().notHeld()).containsExactly("account 444455556666",
                "arn:aws:iam::555566667777:role/Partner (role)",
                "arn:aws:iam::111122223333:role/Gone (role missing from an account the directory holds: no such "
                        + "principal can act)");
    }

    @Test
    void theDenyOfThePolicyTakesThePartnerRoleOffTheSecrets() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        ActionAnswer answer = whoCan.ask(List.of("s3:GetObject"), "arn:aws:s3:::shared/secret/k", tls(true))
                .actions().get(0);
        assertThat(outside(answer)).containsExactly("account 444455556666 (needs its own side)");
    }

    @Test
    void everyoneIsListedWhereThePolicyNamesStar() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        ActionAnswer answer = whoCan.ask(List.of("s3:GetObject"), "arn:aws:s3:::shared/public/a.txt", tls(true))
                .actions().get(0);
        // The anonymous caller stands for "*": allowed by the resource policy alone.
        assertThat(outside(answer)).contains("everyone *");
        // "*" also reaches alice, who has no policy of her own, in the bucket's account.
        assertThat(answer.principals()).extracting(Grant::arn).contains("arn:aws:iam::111122223333:user/alice");
    }

    @Test
    void theResourceAccountsRcpBindsOutsidePrincipalsAndServicesToo() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        ActionAnswer secure = whoCan.ask(List.of("s3:PutObject"), "arn:aws:s3:::shared/log.gz", tls(true))
                .actions().get(0);
        assertThat(outside(secure)).containsExactly("account 444455556666 (needs its own side)",
                "role arn:aws:iam::555566667777:role/Partner (needs its own side)", "service cloudtrail.amazonaws.com");
        ActionAnswer plain = whoCan.ask(List.of("s3:PutObject"), "arn:aws:s3:::shared/log.gz", tls(false))
                .actions().get(0);
        assertThat(plain.anyone()).isFalse();
    }

    @Test
    void aTrustPolicyNamesWhoMayAssumeTheRole() throws Exception {
        WhoCan whoCan = new WhoCan(Engine.of(directory(null)));
        ActionAnswer answer = whoCan.ask(List.of("sts:AssumeRole"), "arn:aws:iam::111122223333:role/App", tls(true))
                .actions().get(0);
        assertThat(outside(answer)).containsExactly("account arn:aws:iam::555566667777:root (needs its own side)");
        assertThat(answer.outside().get(0).statements()).extracting(s -> s.statement())
                .containsExactly("PartnerAccount");
        assertThat(answer.principals()).isEmpty();
    }

    @Test
    void aReloadedEngineIsAnsweredFromItsNewSnapshot() throws Exception {
        Engine engine = Engine.of(directory(null));
        WhoCan whoCan = new WhoCan(engine);
        String resource = "arn:aws:s3:::elsewhere/k";
        WhoCanReport before = whoCan.ask(List.of("s3:GetObject"), resource, tls(true));
        assertThat(before.anyone()).isFalse();
        long version = engine.reload(directory("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
                """));
        WhoCanReport after = whoCan.ask(List.of("s3:GetObject"), resource, tls(true));
        assertThat(after.version()).isEqualTo(version).isNotEqualTo(before.version());
        assertThat(after.actions().get(0).principals()).extracting(Grant::arn)
                .containsExactly("arn:aws:iam::111122223333:user/alice");
    }
}
