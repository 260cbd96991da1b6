package dev.gavel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#analyse} on the demo directory, for every user and role session, action and
 * resource: with every request fact unknown, the answer's conditions hold for exactly the facts
 * with which the reference path allows, or explicitly denies, the request; with the facts given,
 * the answer is the reference path's, explanation included.
 */
class EngineAnalyseTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String[] ACTIONS = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "kms:Decrypt",
        "sqs:SendMessage", "sts:AssumeRole", "sts:TagSession", "iam:PassRole", "ec2:StartInstances",
        "ec2:CreateTags", "lambda:UpdateFunctionCode", "organizations:LeaveOrganization"};
    private static final String[] RESOURCES = {"arn:aws:s3:::example-payments-data/orders/1.csv",
        "arn:aws:s3:::example-payments-reports/2026/q3.csv",
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:sqs:eu-west-1:111122223333:orders", "arn:aws:iam::111122223333:role/AppRole",
        "arn:aws:iam::111122223333:role/VendorAuditRole", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", "*"};
    /** Request facts the demo's conditions read, in combinations that allow and that refuse. */
    private static final List<RequestContext> FACTS = List.of(RequestContext.empty(),
            RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                    .put("aws:ResourceTag/team", "payments").put("aws:ResourceTag/environment", "dev")
                    .put("iam:PassedToService", "lambda.amazonaws.com").build(),
            RequestContext.builder().put("aws:SecureTransport", "false").put("aws:RequestedRegion", "us-west-2")
                    .put("aws:ResourceTag/team", "risk").put("sts:ExternalId", "vendor-7f3a91")
                    .putMultivalued("aws:TagKeys", List.of("team")).build(),
            RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "us-east-1")
                    .put("aws:RequestTag/environment", "prod").put("aws:ResourceTag/environment", "prod")
                    .put("aws:SourceAccount", "111122223333").put("aws:SourceArn", "arn:aws:s3:::example-payments-data")
                    .putMultivalued("aws:TagKeys", List.of("environment", "owner")).build());

    @Test
    void everyDemoAnswerWithUnknownFactsHoldsForExactlyTheFactsTheReferenceAllows() throws Exception {
        Directory directory = DirectoryLoader.load(Path.of("corpus", "demo"));
        Engine engine = Engine.of(directory, CLOCK);
        Authorizer authorizer = new Authorizer(directory, CLOCK);
        List<String> disagreements = new ArrayList<>();
        int conditional = 0;
        for (String principal : EngineAgreesWithReferenceTest.principals(directory)) {
            Principal handle = engine.principal(principal);
            Identity identity = authorizer.identity(principal);
            for (String action : ACTIONS) {
                for (String resource : RESOURCES) {
                    ConditionalEvaluation unknown = engine.analyse(handle, action, resource, RequestContext.empty(),
                            KeyKnowledge.unknownContext(), null);
                    conditional += unknown.verdict() == Verdict.CONDITIONAL ? 1 : 0;
                    for (RequestContext facts : FACTS) {
                        Evaluation expected = authorizer.authorize(identity, action, resource, facts);
                        RequestContext complete = authorizer.prepare(identity, action, resource, facts).request()
                                .context();
                        ConditionalEvaluation given = engine.analyse(handle, action, resource, facts,
                                KeyKnowledge.complete(), null);
                        if (unknown.allowedWhen().holds(complete) != (expected.decision() == Decision.ALLOWED)
                                || unknown.explicitDenyWhen().holds(complete)
                                        != (expected.decision() == Decision.EXPLICIT_DENY)
                                || given.verdict() != Verdict.of(expected.decision())
                                || !given.explanation().equals(expected.explanation())) {
                            disagreements.add(principal + " " + action + " " + resource + " " + facts + "\n  reference "
                                    + expected + "\n  unknown " + unknown + "\n  given " + given);
                        }
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(conditional).as("answers that depend on the facts").isGreaterThan(20);
    }

    @Test
    void sessionKeysNamedUnknownMakeTheAnswerOneForAnySessionOfTheRole() throws Exception {
        // AdminRole's AdministratorAccess allows sts:AssumeRole, and its trust policy's ProdAccountWithMFA admits
        // its own account under "Bool": {"aws:MultiFactorAuthPresent": "true"}. This session was not signed
        // in with MFA: a key Gavel fills, so known, and the session may not assume the role.
        Engine engine = Engine.of(DirectoryLoader.load(Path.of("corpus", "demo")), CLOCK);
        Principal session = engine.principal("arn:aws:sts::111122223333:assumed-role/AdminRole/one");
        String role = "arn:aws:iam::111122223333:role/AdminRole";
        RequestContext facts = RequestContext.builder().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1").build();
        ConditionalEvaluation thisSession = engine.analyse(session, "sts:AssumeRole", role, facts,
                KeyKnowledge.unknownContext(), null);
        assertThat(thisSession.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        // With the session keys named unknown, the answer is for any session of AdminRole: one with MFA may.
        ConditionalEvaluation anySession = engine.analyse(session, "sts:AssumeRole", role, facts,
                KeyKnowledge.unknownContext().withUnknown(Authorizer.SESSION_KEY_PATTERNS), null);
        assertThat(anySession.verdict()).isEqualTo(Verdict.CONDITIONAL);
        assertThat(anySession.allowedWhen().text()).isEqualTo("Bool aws:MultiFactorAuthPresent [\"true\"]");
        assertThat(anySession.allowedWhen().holds(RequestContext.builder()
                .put("aws:MultiFactorAuthPresent", "true").build())).isTrue();
        assertThat(anySession.allowedWhen().holds(RequestContext.empty())).isFalse();
    }
}
