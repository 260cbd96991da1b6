package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.policy.Effect;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation logic's decisions and, above all, the explanations the corpus cases cannot check. */
class ReferenceEvaluatorTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String SESSION = "arn:aws:sts::111122223333:assumed-role/AppRole/job-1";
    private static final String BUCKET_OBJECT = "arn:aws:s3:::reports/q3.csv";

    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();

    private static Policy policy(String source, String text) {
        return PolicyParser.parse(source, text).orElseThrow();
    }

    private static Policy allow(String source, String action, String resource) {
        return policy(source, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Grant\", \"Effect\": \"Allow\", "
                + "\"Action\": \"" + action + "\", \"Resource\": \"" + resource + "\"}]}");
    }

    private static Request request(String principal, String action, String resource, RequestContext context) {
        return new Request(principal, action, resource, "111122223333", context);
    }

    @Test
    void anAllowExplainsWhichStatementGranted() {
        Policy policy = policy("ReadReports", """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Other", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
                  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
                """);
        Evaluation evaluation = evaluator.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT, null),
                PolicySet.ofIdentity(List.of(policy)));
        assertThat(evaluation.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(evaluation.explanation().decidedBy()).isEqualTo(PolicyType.IDENTITY);
        assertThat(evaluation.explanation().statements()).singleElement().satisfies(s -> {
            assertThat(s.policy()).isEqualTo("ReadReports");
            assertThat(s.statement()).isEqualTo("Read");
            assertThat(s.effect()).isEqualTo(Effect.ALLOW);
            assertThat(s.location().line()).isEqualTo(3);
            assertThat(s.location().path()).isEqualTo("Statement[1]");
        });
    }

    @Test
    void anExplicitDenyNamesEveryDenyingStatementAndItsPolicyType() {
        Policy identity = allow("Admin", "*", "*");
        Policy scp = policy("DenyDelete", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}
                """);
        PolicySet set = new PolicySet(List.of(identity), null, List.of(), null, List.of(List.of(scp)), List.of());
        Evaluation evaluation = evaluator.evaluate(request(ALICE, "s3:DeleteObject", BUCKET_OBJECT, null), set);
        assertThat(evaluation.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(evaluation.explanation().decidedBy()).isEqualTo(PolicyType.SCP);
        assertThat(evaluation.explanation().statements()).singleElement().satisfies(s -> {
            assertThat(s.statement()).isEqualTo("#1");
            assertThat(s.level()).isZero();
        });
        assertThat(evaluation.explanation().reason()).contains("scp level 0 policy DenyDelete statement #1 at 3:3");
    }

    @Test
    void anImplicitDenyNamesTheGuardrailThatDidNotAllow() {
        Policy identity = allow("Admin", "*", "*");
        Policy boundary = allow("OnlyEc2", "ec2:*", "*");
        PolicySet set = new PolicySet(List.of(identity), boundary, List.of(), null, List.of(), List.of());
        Evaluation evaluation = evaluator.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT, null), set);
        assertThat(evaluation.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(evaluation.explanation().decidedBy()).isEqualTo(PolicyType.BOUNDARY);
        assertThat(evaluation.explanation().reason()).contains("OnlyEc2");

        PolicySet scps = new PolicySet(List.of(identity), null, List.of(), null,
                List.of(List.of(allow("Root", "*", "*")), List.of(allow("Ou", "ec2:*", "*"))), List.of());
        Evaluation denied = evaluator.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT, null), scps);
        assertThat(denied.explanation().decidedBy()).isEqualTo(PolicyType.SCP);
        assertThat(denied.explanation().reason()).contains("level 1");
    }

    @Test
    void reportsContextKeysThatConditionsNeededButTheRequestLacked() {
        Policy policy = policy("Mfa", """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}
                """);
        RequestContext context = RequestContext.builder().put("aws:SourceIp", "10.1.1.1").build();
        Evaluation evaluation = evaluator.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT, context),
                PolicySet.ofIdentity(List.of(policy)));
        assertThat(evaluation.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(evaluation.explanation().missingContextKeys()).containsExactly("aws:MultiFactorAuthPresent");
    }

    @Test
    void getCallerIdentityIsAlwaysAllowed() {
        Policy denyAll = policy("DenyAll", "{\"Version\": \"2012-10-17\", \"Statement\": "
                + "{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}");
        Evaluation evaluation = evaluator.evaluate(request(SESSION, "sts:GetCallerIdentity", "*", null),
                PolicySet.ofIdentity(List.of(denyAll)));
        assertThat(evaluation.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(evaluation.explanation().decidedBy()).isNull();
    }

    @Test
    void aResourcePolicyNamingTheRoleIsLimitedByTheSessionPolicyButNamingTheSessionIsNot() {
        Policy sessionPolicy = allow("SessionEc2Only", "ec2:*", "*");
        Policy namesRole = policy("bucket", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/service/AppRole\"}, "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}}");
        Policy namesSession = policy("bucket", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Principal\": {\"AWS\": \"" + SESSION + "\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}}");
        Request read = request(SESSION, "s3:GetObject", BUCKET_OBJECT, null);
        Evaluation viaRole = evaluator.evaluate(read,
                new PolicySet(List.of(), null, List.of(sessionPolicy), namesRole, List.of(), List.of()));
        assertThat(viaRole.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(viaRole.explanation().decidedBy()).isEqualTo(PolicyType.SESSION);
        Evaluation viaSession = evaluator.evaluate(read,
                new PolicySet(List.of(), null, List.of(sessionPolicy), namesSession, List.of(), List.of()));
        assertThat(viaSession.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(viaSession.explanation().decidedBy()).isEqualTo(PolicyType.RESOURCE);
        Evaluation roleWithoutSessionPolicy = evaluator.evaluate(read,
                new PolicySet(List.of(), null, List.of(), namesRole, List.of(), List.of()));
        assertThat(roleWithoutSessionPolicy.decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void crossAccountNeedsBothSidesAndSaysWhichIsMissing() {
        Policy identity = allow("Read", "s3:GetObject", "*");
        Request crossAccount = new Request(ALICE, "s3:GetObject", BUCKET_OBJECT, "444455556666", null);
        Evaluation noResourcePolicy = evaluator.evaluate(crossAccount, PolicySet.ofIdentity(List.of(identity)));
        assertThat(noResourcePolicy.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(noResourcePolicy.explanation().reason()).contains("cross-account");
        Policy bucket = policy("bucket", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}}");
        Evaluation both = evaluator.evaluate(crossAccount,
                new PolicySet(List.of(identity), null, List.of(), bucket, List.of(), List.of()));
        assertThat(both.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(both.explanation().statements()).extracting(MatchedStatement::policyType)
                .containsExactly(PolicyType.IDENTITY, PolicyType.RESOURCE);
    }

    @Test
    void takesTheRolePathFromPrincipalArnWhenTheRequestCarriesIt() {
        Policy bucket = policy("bucket", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", "
                + "\"NotPrincipal\": {\"AWS\": [\"111122223333\", \"arn:aws:iam::111122223333:role/service/AppRole\", \""
                + SESSION + "\"]}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}");
        RequestContext context = RequestContext.builder()
                .put("aws:PrincipalArn", "arn:aws:iam::111122223333:role/service/AppRole").build();
        Evaluation exempt = evaluator.evaluate(request(SESSION, "s3:GetObject", BUCKET_OBJECT, context),
                new PolicySet(List.of(allow("Read", "s3:*", "*")), null, List.of(), bucket, List.of(), List.of()));
        assertThat(exempt.decision()).isEqualTo(Decision.ALLOWED);
        Evaluation withBoundary = evaluator.evaluate(request(SESSION, "s3:GetObject", BUCKET_OBJECT, context),
                new PolicySet(List.of(allow("Read", "s3:*", "*")), allow("B", "s3:*", "*"), List.of(), bucket, List.of(),
                        List.of()));
        assertThat(withBoundary.decision()).isEqualTo(Decision.EXPLICIT_DENY);
    }
}
