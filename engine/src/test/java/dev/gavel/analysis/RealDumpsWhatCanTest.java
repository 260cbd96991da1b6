package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.SharedCorpus;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.ServiceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-can for every user and role of the two real account dumps of the shared corpus, loaded
 * together, with the shared service catalog: it runs without undecided pairs, and agrees with
 * {@code Engine.analyse} on a grid of actions and resources (anything analysis allows lies within
 * an entry; a resource of the principal's own account within an allowed entry with no exclusions
 * is never denied).
 */
class RealDumpsWhatCanTest {

    private static final List<String> ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteBucket",
            "iam:PassRole", "iam:CreateUser", "ec2:DescribeInstances", "ec2:RunInstances", "kms:Decrypt",
            "lambda:InvokeFunction", "sts:AssumeRole", "organizations:ListAccounts", "config:PutConfigRule");

    @Test
    void whatCanAgreesWithTheEngineForEveryPrincipalOfTheRealDumps(@TempDir Path folder) throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        Files.createDirectories(folder.resolve("accounts"));
        for (String name : new String[] {"012345678901.json", "200611803367.json"}) {
            Files.copy(dumps.resolve(name), folder.resolve("accounts").resolve(name));
        }
        Directory directory = DirectoryLoader.load(folder);
        Engine engine = Engine.of(directory);
        WhatCan whatCan = new WhatCan(engine, catalog);
        int principals = 0;
        int reached = 0;
        for (Account account : directory.accounts()) {
            List<String> resources = List.of("*", "arn:aws:s3:::mybucket/report.csv",
                    "arn:aws:kms:us-east-1:" + account.id() + ":key/1234",
                    "arn:aws:ec2:us-east-1:" + account.id() + ":instance/i-1",
                    "arn:aws:iam::" + account.id() + ":user/new-user",
                    "arn:aws:lambda:us-east-1:" + account.id() + ":function:f");
            for (User user : account.users().values()) {
                reached += agree(engine, whatCan, user.arn(), user.arn(), PrincipalType.USER, resources);
                principals++;
            }
            for (Role role : account.allRoles()) {
                String session = "arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/"
                        + WhatCan.SESSION_NAME;
                reached += agree(engine, whatCan, role.arn(), session, PrincipalType.ROLE, resources);
                principals++;
            }
        }
        assertThat(principals).isEqualTo(3 + 3 + 41 + 75);
        // The dumps hold administrators and service roles: the grid is not all denials.
        assertThat(reached).isGreaterThan(200);
        assertThat(engine.failures()).isZero();
    }

    /** Checks one principal over the grid; the number of requests analysis allows. */
    private static int agree(Engine engine, WhatCan whatCan, String arn, String actingArn, PrincipalType type,
            List<String> resources) throws Exception {
        WhatCanReport report = whatCan.ask(arn, null, null, RequestContext.empty());
        assertThat(report.coverage().undecided()).as(arn).isEmpty();
        Principal acting = engine.principal(actingArn);
        int reached = 0;
        for (String action : ACTIONS) {
            for (String resource : resources) {
                ConditionalEvaluation analysed = engine.analyse(acting, action, resource, RequestContext.empty(),
                        WhoCan.knowledge(type), null);
                boolean reachable = analysed.verdict() == dev.gavel.eval.Verdict.ALLOWED
                        || analysed.verdict() == dev.gavel.eval.Verdict.CONDITIONAL;
                List<Reach> within = report.reaches().stream().filter(reach -> reach.action().equalsIgnoreCase(action)
                        && Wildcard.matches(reach.resource(), resource, false)).toList();
                String question = arn + " " + action + " on " + resource;
                if (reachable) {
                    reached++;
                    assertThat(within).as(question + " is " + analysed.verdict()).isNotEmpty();
                }
                for (Reach reach : within) {
                    if (reach.verdict() == Verdict.ALLOWED && reach.excluded().isEmpty()) {
                        assertThat(reachable).as(question + " within " + reach.resource()).isTrue();
                    }
                }
            }
        }
        return reached;
    }
}
