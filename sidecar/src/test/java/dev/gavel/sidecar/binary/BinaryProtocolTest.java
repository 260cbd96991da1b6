package dev.gavel.sidecar.binary;

import static dev.gavel.sidecar.TestDirectories.ALICE;
import static dev.gavel.sidecar.TestDirectories.BOB;
import static dev.gavel.sidecar.TestDirectories.REPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.sidecar.TestDirectories;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks over the binary protocol answer what the engine answers: by ARN, by credentials, in batches, pipelined, explained. */
class BinaryProtocolTest {

    @TempDir
    Path folder;

    private TestServer server;
    private GavelClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Engine.of(TestDirectories.reports(false)), folder);
        client = server.client();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static Check read(String principal, String resource) {
        return Check.of(principal, "s3:GetObject", resource).with("aws:SecureTransport", "true");
    }

    @Test
    void welcomesWithTheProtocolVersionAndLimits() {
        assertThat(client.server().protocolVersion()).isEqualTo(MessageHeaderDecoder.SCHEMA_VERSION);
        assertThat(client.server().serverVersion()).isEqualTo("gavel test");
        assertThat(client.server().snapshotVersion()).isEqualTo(server.engine.version());
        assertThat(client.server().maxBatch()).isEqualTo(BinaryLimits.DEFAULT_MAX_BATCH);
        assertThat(client.server().maxInFlight()).isEqualTo(BinaryLimits.DEFAULT_MAX_IN_FLIGHT);
    }

    @Test
    void answersAsTheEngineDoes() throws Exception {
        CheckResult own = client.check(read(ALICE, REPORT));
        assertThat(own.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(own.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(own.snapshotVersion()).isEqualTo(server.engine.version());
        assertThat(client.check(read(BOB, REPORT)).decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(client.check(Check.of(ALICE, "s3:GetObject", REPORT)).decision())
                .as("without aws:SecureTransport the condition fails").isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(client.check(read(ALICE, REPORT)).decision()).isEqualTo(server.engine.check(ALICE, "s3:GetObject",
                REPORT, RequestContext.builder().put("aws:SecureTransport", "true").build()).decision());
    }

    @Test
    void multivaluedKeysKeepTheirValues() throws Exception {
        Check put = Check.of(ALICE, "s3:PutObject", "arn:aws:s3:::any/thing");
        assertThat(client.check(put.withAll("aws:TagKeys", List.of("team", "env"))).allowed()).isTrue();
        assertThat(client.check(put.withAll("aws:TagKeys", List.of("team", "cost"))).allowed()).isFalse();
        assertThat(client.check(put.withAll("aws:TagKeys", List.of())).allowed())
                .as("ForAllValues holds for no values").isTrue();
    }

    @Test
    void explainsWithTheDecisiveStatements() throws Exception {
        CheckResult explained = client.explain(read(ALICE, REPORT));
        assertThat(explained.allowed()).isTrue();
        assertThat(explained.statements()).singleElement().satisfies(statement -> {
            assertThat(statement.policy()).endsWith("ReadReports");
            assertThat(statement.statement()).isEqualTo("Read");
            assertThat(statement.effect()).isEqualTo("Allow");
            assertThat(statement.policyType()).isEqualTo("identity");
            assertThat(statement.line()).isPositive();
            assertThat(statement.column()).isPositive();
        });
        assertThat(client.check(read(ALICE, REPORT)).statements()).isEmpty();
    }

    @Test
    void answersABatchInItsOrder() throws Exception {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            checks.add(read(i % 2 == 0 ? ALICE : BOB, "arn:aws:s3:::reports/alice/" + i));
        }
        List<CheckResult> results = client.checkBatch(checks);
        assertThat(results).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(results.get(i).allowed()).as("check %d", i).isEqualTo(i % 2 == 0);
        }
    }

    @Test
    void pipelinesManyRequestsOnOneConnection() throws Exception {
        List<CompletableFuture<CheckResult>> answers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            answers.add(client.checkAsync(read(i % 3 == 0 ? BOB : ALICE, REPORT)));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get().allowed()).as("request %d", i).isEqualTo(i % 3 != 0);
        }
        assertThat(server.stats().checks()).isEqualTo(2_000);
    }

    @Test
    void preparedRequestsAreSentManyTimes() throws Exception {
        var prepared = client.prepare(List.of(read(ALICE, REPORT), read(BOB, REPORT)), false);
        List<CompletableFuture<List<CheckResult>>> answers = client.sendAsync(List.of(prepared, prepared, prepared));
        for (CompletableFuture<List<CheckResult>> answer : answers) {
            assertThat(answer.get()).extracting(CheckResult::allowed).containsExactly(true, false);
        }
        assertThat(client.send(prepared)).extracting(CheckResult::allowed).containsExactly(true, false);
    }

    @Test
    void checksByCredentials() throws Exception {
        Engine demo = Engine.open(Path.of("corpus/demo"));
        try (TestServer served = TestServer.start(demo, Files.createDirectory(folder.resolve("d")));
                GavelClient gavel = served.client()) {
            Check byKey = Check.withCredentials("AKIAW4POA2WMOQQL6P2Z", null, "s3:GetObject",
                    "arn:aws:s3:::example-payments-data/orders/1.csv").with("aws:SecureTransport", "true")
                    .with("aws:RequestedRegion", "eu-west-1");
            CheckResult result = gavel.check(byKey);
            assertThat(result.status()).isEqualTo(CheckResult.Status.OK);
            assertThat(result.decision()).isEqualTo(demo.checkCredentials("AKIAW4POA2WMOQQL6P2Z", null, "s3:GetObject",
                    "arn:aws:s3:::example-payments-data/orders/1.csv", RequestContext.builder()
                            .put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1").build())
                    .decision());
            CheckResult inactive = gavel.check(Check.withCredentials("AKIA5PVYUYK5GMNDBWHZ", null, "s3:GetObject",
                    "arn:aws:s3:::example-payments-data/orders/1.csv"));
            assertThat(inactive.status()).isEqualTo(CheckResult.Status.INVALID_CREDENTIALS);
            assertThat(inactive.decision()).isEqualTo(Decision.IMPLICIT_DENY);
            assertThat(inactive.detail()).isNotEmpty();
        }
    }

    @Test
    void refusesWhatCannotBeAskedWithAnImplicitDeny() throws Exception {
        CheckResult unknown = client.check(read("arn:aws:iam::111122223333:user/mallory", REPORT));
        assertThat(unknown.status()).isEqualTo(CheckResult.Status.UNKNOWN_PRINCIPAL);
        assertThat(unknown.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        CheckResult badAction = client.check(Check.of(ALICE, "GetObject", REPORT));
        assertThat(badAction.status()).isEqualTo(CheckResult.Status.INVALID_ACTION);
        CheckResult filled = client.check(read(ALICE, REPORT).with("aws:PrincipalArn", ALICE));
        assertThat(filled.status()).isEqualTo(CheckResult.Status.INVALID_CONTEXT);
        assertThat(filled.detail()).contains("aws:PrincipalArn");
        assertThat(filled.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(client.check(read(ALICE, REPORT)).allowed()).as("the connection keeps serving").isTrue();
    }

    @Test
    void samplesRequestsFromTheDirectory() throws Exception {
        List<Check> sample = client.sample(50, 7);
        assertThat(sample).hasSize(50);
        assertThat(sample).extracting(Check::principal).allMatch(arn -> arn.equals(ALICE) || arn.equals(BOB));
        assertThat(client.sample(50, 7)).isEqualTo(sample);
        assertThat(client.checkBatch(sample)).allMatch(result -> result.status() == CheckResult.Status.OK);
    }

    @Test
    void theReadmeExampleDoesWhatItSays() throws Exception {
        try (TestServer served = TestServer.start(Engine.open(Path.of("corpus/demo")),
                Files.createDirectory(folder.resolve("r"))); GavelClient gavel = served.client()) {
            Check read = Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                    "arn:aws:s3:::example-payments-data/orders/1.csv")
                    .with("aws:SecureTransport", "true").with("aws:RequestedRegion", "eu-west-1");
            assertThat(gavel.check(read).allowed()).isTrue();
            assertThat(gavel.checkAsync(read).get().allowed()).isTrue();
            assertThat(gavel.checkBatch(List.of(read, read.withAll("aws:TagKeys", List.of("team"))))).hasSize(2);
            assertThat(gavel.explain(read).statements()).extracting(Object::toString).containsExactly(
                    "identity policy arn:aws:iam::111122223333:policy/DeveloperAccess statement PaymentsDataReadWrite "
                            + "at 618:29");
        }
    }
}
