package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.SharedCorpus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The requests {@code gavel bench} draws from a directory. */
class BenchWorkloadTest {

    private static final String TRUST = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";
    private static final String HOME = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
               "Resource": "arn:aws:s3:::home-bucket/${aws:username}/*"}]}""";
    private static final String QUEUES = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["sqs:Send*", "sqs:GetQueue*"],
               "Resource": "arn:aws:sqs:*:*:orders-?"},
              {"Effect": "Deny", "NotAction": "sqs:*", "Resource": "*"}]}""";

    private static Directory directory() throws Exception {
        return Directory.builder().account("111122223333", account -> account
                .user("carol", user -> user.inline("home", HOME))
                .user("idle", user -> { })
                .role("Worker", TRUST, role -> role.inline("queues", QUEUES))).build();
    }

    private static List<Identity> identities(Directory directory, Authorizer authorizer) throws RequestException {
        List<Identity> identities = new ArrayList<>();
        for (BenchWorkload.Candidate candidate : BenchWorkload.candidates(directory)) {
            identities.add(authorizer.identity(candidate.arn()));
        }
        return identities;
    }

    @Test
    void everyUserAndASessionOfEveryRoleInArnOrder() throws Exception {
        assertThat(BenchWorkload.candidates(directory())).extracting(BenchWorkload.Candidate::arn).containsExactly(
                "arn:aws:iam::111122223333:user/carol", "arn:aws:iam::111122223333:user/idle",
                "arn:aws:sts::111122223333:assumed-role/Worker/bench");
    }

    @Test
    void requestsAreConcreteAndDrawnFromEachPrincipalsOwnStatements() throws Exception {
        Directory directory = directory();
        Authorizer authorizer = new Authorizer(directory, Clock.systemUTC());
        List<Identity> identities = identities(directory, authorizer);
        List<BenchWorkload.Request> requests = BenchWorkload.requests(identities, authorizer, null, 3_000, 1);
        assertThat(requests).hasSize(3_000);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.resource()).doesNotContain("*", "?", "${").startsWith("arn:aws:");
            assertThat(request.action()).contains(":").doesNotContain("*", "?");
            assertThat(BenchWorkload.SOURCE_IPS).contains(request.sourceIp());
            assertThat(request.region()).isNotEmpty();
        });

        // carol's resource pattern names her own prefix: ${aws:username} is her name.
        List<BenchWorkload.Request> carol = requests.stream().filter(r -> r.principal() == 0).toList();
        assertThat(carol).isNotEmpty();
        assertThat(carol).filteredOn(r -> r.resource().startsWith("arn:aws:s3:::home-bucket/"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.resource()).startsWith("arn:aws:s3:::home-bucket/carol/"));
        assertThat(carol).extracting(BenchWorkload.Request::action).contains("s3:GetObject", "s3:PutObject");

        // A principal whose policies name no action is checked with commonly called actions.
        List<BenchWorkload.Request> idle = requests.stream().filter(r -> r.principal() == 1).toList();
        assertThat(idle).isNotEmpty().allSatisfy(r ->
                assertThat(BenchWorkload.COMMON_ACTIONS).contains(r.action()));

        // Without a catalog, sqs:Send* is the common action it matches, and sqs:GetQueue* a plausible name;
        // wildcard parts of the ARN are filled.
        List<BenchWorkload.Request> worker = requests.stream().filter(r -> r.principal() == 2).toList();
        assertThat(worker).extracting(BenchWorkload.Request::action).contains("sqs:SendMessage", "sqs:GetQueueResource");
        assertThat(worker).filteredOn(r -> r.resource().contains(":orders-"))
                .isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.resource()).isEqualTo("arn:aws:sqs:eu-west-1:111122223333:orders-x");
                    assertThat(r.region()).isEqualTo("eu-west-1");
                });
    }

    @Test
    void theSameSeedGivesTheSameRequestsAndAnotherSeedOthers() throws Exception {
        Directory directory = DirectoryLoader.load(Path.of("corpus/demo"));
        Authorizer authorizer = new Authorizer(directory, Clock.systemUTC());
        List<Identity> identities = identities(directory, authorizer);
        List<BenchWorkload.Request> first = BenchWorkload.requests(identities, authorizer, null, 5_000, 42);
        List<BenchWorkload.Request> again = BenchWorkload.requests(identities(directory, authorizer), authorizer, null,
                5_000, 42);
        List<BenchWorkload.Request> other = BenchWorkload.requests(identities, authorizer, null, 5_000, 43);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        // Every principal of the demo gets requests.
        assertThat(first.stream().map(BenchWorkload.Request::principal).distinct().count())
                .isEqualTo(identities.size());
    }

    @Test
    void wildcardActionsAreExpandedAgainstTheServiceCatalog() throws Exception {
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        Directory directory = directory();
        Authorizer authorizer = new Authorizer(directory, Clock.systemUTC());
        List<BenchWorkload.Request> requests = BenchWorkload.requests(identities(directory, authorizer), authorizer,
                catalog, 3_000, 1);
        // sqs:GetQueue* becomes the catalog's actions it matches; other sqs actions are common-action probes.
        List<String> sqs = requests.stream().filter(r -> r.principal() == 2)
                .map(BenchWorkload.Request::action).filter(a -> a.startsWith("sqs:")).distinct().toList();
        assertThat(sqs).contains("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes");
        assertThat(sqs).filteredOn(action -> !BenchWorkload.COMMON_ACTIONS.contains(action))
                .allSatisfy(action -> assertThat(action).startsWith("sqs:GetQueue"));
    }

    @Test
    void plausibleNamesForPatternsNoCatalogKnows() {
        assertThat(BenchWorkload.plausibleName("*")).isEqualTo("GetResource");
        assertThat(BenchWorkload.plausibleName("*Object")).isEqualTo("GetObject");
        assertThat(BenchWorkload.plausibleName("List*")).isEqualTo("ListResource");
        assertThat(BenchWorkload.plausibleName("Get?tem")).isEqualTo("GetXtem");
    }
}
