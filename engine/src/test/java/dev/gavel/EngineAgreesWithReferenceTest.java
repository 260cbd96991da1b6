package dev.gavel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.directory.Account;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.RequestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's compiled snapshot of the demo directory decides and explains every request as the
 * reference path ({@link Authorizer} with the reference evaluator) does: every user and a session
 * of every role, across actions, resources and request facts.
 */
class EngineAgreesWithReferenceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String[] ACTIONS = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket",
        "kms:Decrypt", "kms:CreateAlias", "sqs:SendMessage", "sts:AssumeRole", "sts:TagSession", "iam:PassRole",
        "iam:CreatePolicyVersion", "ec2:StartInstances", "ec2:DescribeInstances", "lambda:UpdateFunctionCode",
        "athena:StartQueryExecution", "organizations:LeaveOrganization", "sts:GetCallerIdentity"};
    private static final String[] RESOURCES = {"arn:aws:s3:::example-payments-data/orders/1.csv",
        "arn:aws:s3:::example-payments-data", "arn:aws:s3:::example-payments-reports/2026/q3.csv",
        "arn:aws:s3:::example-payments-artifacts/payments-service/app.zip",
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ba0987654321",
        "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", "arn:aws:sqs:eu-west-1:111122223333:orders",
        "arn:aws:iam::111122223333:role/AppRole", "arn:aws:iam::111122223333:role/VendorAuditRole",
        "arn:aws:iam::111122223333:role/PlatformOpsRole", "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", "arn:aws:lambda:eu-west-1:111122223333:function:payments-api",
        "arn:aws:athena:eu-west-1:111122223333:workgroup/risk", "*"};

    @Test
    void everyDemoPrincipalIsDecidedAndExplainedAsTheReferenceDoes() throws Exception {
        Directory directory = DirectoryLoader.load(Path.of("corpus", "demo"));
        Engine engine = Engine.of(directory, CLOCK);
        Authorizer authorizer = new Authorizer(directory, CLOCK);
        List<RequestContext> contexts = List.of(RequestContext.empty(),
                RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                        .build(),
                RequestContext.builder().put("aws:SecureTransport", "false").put("aws:RequestedRegion", "us-west-2")
                        .put("aws:SourceAccount", "111122223333").putMultivalued("aws:TagKeys", List.of("team"))
                        .build());
        List<String> disagreements = new ArrayList<>();
        int checks = 0;
        for (String principal : principals(directory)) {
            Principal prepared = engine.principal(principal);
            var identity = authorizer.identity(principal);
            for (String action : ACTIONS) {
                for (String resource : RESOURCES) {
                    for (RequestContext context : contexts) {
                        checks++;
                        Evaluation expected = authorizer.authorize(identity, action, resource, context);
                        Answer explained = engine.explain(prepared, action, resource, context);
                        Answer decided = prepared.check(engine.action(action), resource, contextOf(engine, context));
                        if (expected.decision() != explained.decision()
                                || !expected.explanation().equals(explained.explanation())
                                || decided.decision() != expected.decision()) {
                            disagreements.add(principal + " " + action + " " + resource + " " + context
                                    + "\n  reference " + expected + "\n  compiled  " + explained.decision() + " "
                                    + explained.explanation() + "\n  fast      " + decided);
                        }
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checks).isGreaterThan(5_000);
        assertThat(engine.failures()).isZero();
    }

    static CheckContext contextOf(Engine engine, RequestContext context) {
        CheckContext checkContext = engine.newContext();
        for (RequestContext.Entry entry : context.entries()) {
            if (entry.multivalued()) {
                checkContext.putAll(entry.key(), entry.values());
            } else {
                checkContext.put(entry.key(), entry.values().get(0));
            }
        }
        return checkContext;
    }

    /** Every user, and a session of every role. */
    static List<String> principals(Directory directory) {
        List<String> principals = new ArrayList<>();
        for (Account account : directory.accounts()) {
            for (User user : account.users().values()) {
                principals.add(user.arn());
            }
            for (Role role : account.allRoles()) {
                principals.add("arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/test-session");
            }
        }
        return principals;
    }
}
