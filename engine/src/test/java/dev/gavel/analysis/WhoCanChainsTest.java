package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Following roles, who-can lists chains whose steps are allowed only under a condition: the
 * chain is then conditional on the AND of its steps' conditions, each step's kept apart, and of
 * the chains of one length an allowed one is listed when there is one.
 */
class WhoCanChainsTest {

    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private static final String OBJECT = "arn:aws:s3:::reports/q3.csv";
    private static final String TRUST_ACCOUNT = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}
            """;
    private static final String TRUST_WITH_EXTERNAL_ID = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "WithId", "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
              "Condition": {"StringEquals": {"sts:ExternalId": "ext-1"}}}]}
            """;
    private static final String READ = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::reports/*"}]}
            """;
    private static final String READ_THROUGH_ENDPOINT = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "ThroughEndpoint", "Effect": "Allow",
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
              "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}
            """;

    private static WhoCan whoCan;

    @BeforeAll
    static void load() throws Exception {
        Directory directory = Directory.builder().account("111122223333", account -> account
                .role("Reader", TRUST_ACCOUNT, role -> role.inline("Read", READ))
                .role("EndpointReader", TRUST_ACCOUNT, role -> role.inline("Read", READ_THROUGH_ENDPOINT))
                .role("VendorReader", TRUST_WITH_EXTERNAL_ID, role -> role.inline("Read", READ))
                .user("ann", user -> user.inline("Assume", assume("EndpointReader")))
                .user("bob", user -> user.inline("Assume", assume("VendorReader", "Reader")))
                .user("cat", user -> user.inline("Assume", assume("VendorReader")))
                .user("dan", user -> user.inline("Assume", assume("VendorReader", "EndpointReader"))))
                .build();
        whoCan = new WhoCan(Engine.of(directory));
    }

    private static String assume(String... roles) {
        List<String> arns = List.of(roles).stream().map(role -> "\"" + ACCOUNT + "role/" + role + "\"").toList();
        return """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                  "Resource": [%s]}]}
                """.formatted(String.join(", ", arns));
    }

    private static Grant user(String name) throws Exception {
        ActionAnswer answer = whoCan.ask(List.of("s3:GetObject"), OBJECT, RequestContext.empty(), 1).actions().get(0);
        return answer.principals().stream().filter(grant -> grant.arn().equals(ACCOUNT + "user/" + name)).findFirst()
                .orElseThrow();
    }

    @Test
    void aChainToAConditionalRoleIsConditionalOnTheRolesCondition() throws Exception {
        Grant ann = user("ann");
        assertThat(ann.via()).containsExactly(ACCOUNT + "role/EndpointReader");
        assertThat(ann.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(ann.condition().text()).isEqualTo("StringEquals aws:SourceVpce [\"vpce-1\"]");
        assertThat(ann.stepConditions().get(0)).isEqualTo(Residual.TRUE);
    }

    @Test
    void aConditionalAssumptionMakesTheChainConditional() throws Exception {
        Grant cat = user("cat");
        assertThat(cat.via()).containsExactly(ACCOUNT + "role/VendorReader");
        assertThat(cat.condition().text()).isEqualTo("StringEquals sts:ExternalId [\"ext-1\"]");
        assertThat(cat.stepConditions()).extracting(Residual::text)
                .containsExactly("StringEquals sts:ExternalId [\"ext-1\"]", "true");
    }

    @Test
    void anAllowedChainWinsOverAConditionalOneOfTheSameLength() throws Exception {
        Grant bob = user("bob");
        assertThat(bob.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(bob.via()).containsExactly(ACCOUNT + "role/Reader");
        assertThat(bob.condition()).isNull();
    }

    @Test
    void twoConditionalChainsGiveOneOfThemWholeNotAMixOfTheirSteps() throws Exception {
        Grant dan = user("dan");
        assertThat(dan.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(dan.condition()).isEqualTo(Residual.and(dan.stepConditions()));
        assertThat(dan.condition().text()).isIn("StringEquals sts:ExternalId [\"ext-1\"]",
                "StringEquals aws:SourceVpce [\"vpce-1\"]");
    }

    @Test
    void givenTheExternalIdTheVendorChainIsAllowed() throws Exception {
        RequestContext withId = RequestContext.builder().put("sts:ExternalId", "ext-1").build();
        Grant cat = whoCan.ask(List.of("s3:GetObject"), OBJECT, withId, 1).actions().get(0).principals().stream()
                .filter(grant -> grant.arn().equals(ACCOUNT + "user/cat")).findFirst().orElseThrow();
        assertThat(cat.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(cat.stepConditions()).containsOnly(Residual.TRUE);
    }
}
