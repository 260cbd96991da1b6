package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.SharedCorpus;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Role;
import dev.gavel.eval.RequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who-can over the two real account dumps of the shared corpus, loaded together: it runs without
 * error and lists exactly the principals that analysing each one with the engine allows for some
 * value of the keys not given, each with the analysis's condition.
 */
class RealDumpsWhoCanTest {

    private static final List<String> ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteBucket",
            "iam:PassRole", "iam:CreateUser", "iam:CreatePolicyVersion", "ec2:DescribeInstances", "ec2:RunInstances",
            "kms:Decrypt", "lambda:InvokeFunction", "sts:AssumeRole", "sts:TagSession", "organizations:ListAccounts");

    @Test
    void whoCanEqualsCheckingEveryPrincipalOfTheRealDumps(@TempDir Path folder) throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Files.createDirectories(folder.resolve("accounts"));
        for (String name : new String[] {"012345678901.json", "200611803367.json"}) {
            Files.copy(dumps.resolve(name), folder.resolve("accounts").resolve(name));
        }
        Directory directory = DirectoryLoader.load(folder);
        Engine engine = Engine.of(directory);
        WhoCan whoCan = new WhoCan(engine);
        List<String> resources = new ArrayList<>(List.of("*", "arn:aws:s3:::mybucket/report.csv",
                "arn:aws:s3:::aws-quick-setup-config-recording-200611803367-1clff/AWSLogs/1.json",
                "arn:aws:kms:us-east-1:200611803367:key/1234", "arn:aws:ec2:us-east-1:200611803367:instance/i-1",
                "arn:aws:iam::012345678901:user/new-user"));
        for (Account account : directory.accounts()) {
            account.allRoles().stream().sorted(Comparator.comparing(Role::arn)).limit(6)
                    .forEach(role -> resources.add(role.arn()));
        }
        List<RequestContext> contexts = List.of(RequestContext.empty(), RequestContext.builder()
                .put("aws:SecureTransport", "true").put("aws:RequestedRegion", "us-east-1")
                .put("aws:SourceIp", "203.0.113.9").build());
        int listed = 0;
        for (RequestContext context : contexts) {
            for (String resource : resources) {
                WhoCanReport report = whoCan.ask(ACTIONS, resource, context);
                assertThat(report.coverage().undecided()).isEmpty();
                assertThat(report.coverage().users() + report.coverage().roles()).isEqualTo(3 + 3 + 41 + 75);
                for (ActionAnswer answer : report.actions()) {
                    assertThat(OneByOne.direct(answer)).as(answer.action() + " on " + resource + " " + context)
                            .isEqualTo(OneByOne.analysed(engine, answer.action(), resource, context));
                    listed += answer.principals().size();
                }
            }
        }
        // The dumps hold administrators, so the comparison is not of empty lists only.
        assertThat(listed).isGreaterThan(100);
        assertThat(engine.failures()).isZero();
    }
}
