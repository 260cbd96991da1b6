package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReservedResourcesTest {

    private static final String ADMIN_SESSION_ROLE = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/"
            + "AWSReservedSSO_AdministratorAccess_0123456789abcdef";

    @Test
    void everyRefusedActionIsAnActionOfItsService() throws IOException {
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        for (Set<String> actions : ReservedResources.ACTION_SETS) {
            for (String action : actions) {
                String[] parts = action.split(":");
                assertThat(catalog.hasAction(parts[0], parts[1])).as(action).isTrue();
            }
        }
    }

    @Test
    void namesTheRuleForEachKindOfReservedResource() {
        assertThat(ReservedResources.refusal("IAM:CreatePolicyVersion", "arn:aws:iam::aws:policy/ReadOnlyAccess", false))
                .contains("AWS managed policy");
        assertThat(ReservedResources.refusal("iam:PutRolePolicy", "arn:aws:iam::111122223333:role/aws-service-role/"
                + "elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing", false))
                .contains("service-linked role");
        assertThat(ReservedResources.refusal("iam:TagRole", ADMIN_SESSION_ROLE, false)).contains("IAM Identity Center");
        assertThat(ReservedResources.refusal("kms:DeleteAlias", "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3",
                false)).contains("alias/aws/");
    }

    @Test
    void leavesOrdinaryResourcesAndAwsOwnChangesToThePolicies() {
        assertThat(ReservedResources.refusal("iam:CreatePolicyVersion", "arn:aws:iam::111122223333:policy/Mine", false))
                .isNull();
        assertThat(ReservedResources.refusal("iam:DeleteRole", "arn:aws:iam::111122223333:role/AppRole", false))
                .isNull();
        assertThat(ReservedResources.refusal("kms:CreateAlias", "arn:aws:kms:eu-west-1:111122223333:alias/awsome",
                false)).isNull();
        assertThat(ReservedResources.refusal("iam:PutRolePolicy", ADMIN_SESSION_ROLE, true)).isNull();
        assertThat(ReservedResources.refusal("iam:GetRole", ADMIN_SESSION_ROLE, false)).isNull();
        assertThat(ReservedResources.refusal("iam:DeleteRole", "not an arn", false)).isNull();
    }
}
