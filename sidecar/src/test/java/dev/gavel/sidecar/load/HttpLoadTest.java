package dev.gavel.sidecar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.cli.RequestSample;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonValue;
import dev.gavel.sidecar.SidecarCli;
import dev.gavel.sidecar.binary.TestServer;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.http.HttpApi;
import dev.gavel.sidecar.http.HttpConfig;
import dev.gavel.sidecar.http.Status;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gavel load --protocol http} against the HTTP API on a real Unix socket, over the demo
 * directory: its connections answer as the engine decides, in every shape (one check, batches,
 * pipelines), and short runs of the command report checks and no errors. No assertion is about
 * time.
 */
@Timeout(120)
class HttpLoadTest {

    private static final int SAMPLE = 300;

    @TempDir
    static Path folder;
    static Engine engine;
    static HttpApi api;
    static Path socket;
    /** The sample the server draws with seed 1, and what the engine decides for each request. */
    static List<Check> sample;
    static List<Decision> expected;

    @BeforeAll
    static void start() throws Exception {
        engine = Engine.open(Path.of("corpus", "demo"));
        socket = folder.resolve("http.sock");
        api = new HttpApi(HttpConfig.of(socket), engine, engine::reload, () -> Status.ready("corpus/demo",
                Instant.now()), new Metrics(), DecisionLog.off());
        api.start();
        try (HttpTarget target = new HttpTarget(socket)) {
            sample = target.sample(SAMPLE, 1);
        }
        expected = new ArrayList<>();
        for (Check check : sample) {
            RequestContext.Builder context = RequestContext.builder();
            check.context().forEach(fact -> context.put(fact.key(), fact.values().get(0)));
            expected.add(engine.check(check.principal(), check.action(), check.resource(), context.build()).decision());
        }
    }

    @AfterAll
    static void stop() {
        api.stop();
        engine.close();
    }

    @Test
    void theSampleIsTheDirectorysOwn() {
        List<RequestSample.Request> drawn = RequestSample.draw(engine.directory(), SAMPLE, 1, Clock.systemUTC());
        assertThat(sample).hasSize(SAMPLE);
        for (int i = 0; i < SAMPLE; i++) {
            Check check = sample.get(i);
            RequestSample.Request request = drawn.get(i);
            assertThat(check.principal()).isEqualTo(request.principal());
            assertThat(check.byAccessKey()).isFalse();
            assertThat(check.action()).isEqualTo(request.action());
            assertThat(check.resource()).isEqualTo(request.resource());
            assertThat(check.context()).extracting(Check.Fact::key).containsExactlyElementsOf(request.context().keySet());
        }
        assertThat(expected).contains(Decision.ALLOWED, Decision.IMPLICIT_DENY);
    }

    @Test
    void oneCheckPerRequestIsAnsweredAsTheEngineDecides() throws Exception {
        try (HttpTarget target = new HttpTarget(socket); HttpConnection connection = (HttpConnection) target.connect()) {
            for (int i = 0; i < SAMPLE; i++) {
                List<CheckResult> answer = connection.send(connection.prepare(List.of(sample.get(i))));
                assertThat(answer).hasSize(1);
                assertThat(answer.get(0).status()).isEqualTo(CheckResult.Status.OK);
                assertThat(answer.get(0).decision()).as("request %d", i).isEqualTo(expected.get(i));
                assertThat(answer.get(0).snapshotVersion()).isEqualTo(engine.version());
            }
        }
    }

    @Test
    void batchesAreAnsweredInOrder() throws Exception {
        try (HttpTarget target = new HttpTarget(socket); HttpConnection connection = (HttpConnection) target.connect()) {
            for (int from = 0; from < SAMPLE; from += 64) {
                List<Check> batch = sample.subList(from, Math.min(SAMPLE, from + 64));
                List<CheckResult> answers = connection.send(connection.prepare(batch));
                assertThat(answers).hasSize(batch.size());
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(answers.get(i).decision()).as("request %d", from + i).isEqualTo(expected.get(from + i));
                }
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (HttpTarget target = new HttpTarget(socket); HttpConnection connection = (HttpConnection) target.connect()) {
            List<HttpConnection.Prepared> singles = new ArrayList<>();
            for (Check check : sample) {
                singles.add(connection.prepare(List.of(check)));
            }
            List<HttpConnection.Prepared> batches = List.of(connection.prepare(sample.subList(0, 100)),
                    connection.prepare(sample.subList(100, 300)));
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<List<CheckResult>>> answers = connection.sendAsync(singles);
                for (int i = 0; i < SAMPLE; i++) {
                    assertThat(answers.get(i).get().get(0).decision()).as("request %d", i).isEqualTo(expected.get(i));
                }
                List<CompletableFuture<List<CheckResult>>> batched = connection.sendAsync(batches);
                List<CheckResult> all = new ArrayList<>(batched.get(0).get());
                all.addAll(batched.get(1).get());
                assertThat(all).extracting(CheckResult::decision).containsExactlyElementsOf(expected);
            }
            assertThatThrownBy(() -> connection.send(singles.get(0))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void refusalsAreErrorsAndAnUnknownPrincipalInABatchIsACheckThatCouldNotBeAsked() throws Exception {
        Check unknown = Check.of("arn:aws:iam::111122223333:user/nobody", "s3:GetObject", "arn:aws:s3:::b/k");
        try (HttpTarget target = new HttpTarget(socket); HttpConnection connection = (HttpConnection) target.connect()) {
            HttpConnection.Prepared single = connection.prepare(List.of(unknown));
            assertThatThrownBy(() -> connection.send(single)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("HTTP 422 UNKNOWN_PRINCIPAL: ");
            List<CheckResult> answers = connection.send(connection.prepare(List.of(sample.get(0), unknown)));
            assertThat(answers.get(0).status()).isEqualTo(CheckResult.Status.OK);
            assertThat(answers.get(1).status()).isEqualTo(CheckResult.Status.UNKNOWN_PRINCIPAL);
            assertThat(answers.get(1).decision()).isEqualTo(Decision.IMPLICIT_DENY);
            // The connection is still good.
            assertThat(connection.send(connection.prepare(List.of(sample.get(0)))).get(0).decision())
                    .isEqualTo(expected.get(0));
        }
        try (HttpTarget target = new HttpTarget(socket)) {
            List<Check> workload = List.of(sample.get(0), unknown, sample.get(1));
            LoadRun run = new LoadRun(target, workload, 1, 1, 1, 0);
            LoadRun.Result result = run.run(Duration.ZERO, Duration.ofMillis(300));
            assertThat(result.errors()).isPositive();
            assertThat(run.firstError()).startsWith("HTTP 422 UNKNOWN_PRINCIPAL");
            assertThat(run.failure()).isNull();
        }
    }

    // ---- the command --------------------------------------------------------------------------

    /** What a run of the command printed, and its exit code. */
    private record Run(int exit, String out, String err) {
        JsonValue json() throws Exception {
            return new JsonReader(1 << 20, 16).read(out);
        }

        long number(String path) throws Exception {
            JsonValue value = json();
            for (String step : path.split("\\.")) {
                value = ((dev.gavel.json.JsonObject) value).get(step);
            }
            return (long) Double.parseDouble(value.scalarText());
        }
    }

    private static Run load(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = SidecarCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        List<String> line = new ArrayList<>(List.of("load"));
        line.addAll(List.of(args));
        int exit = command.execute(line.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** A short run of one shape: checks answered, no error, and only decisions the engine makes. */
    private static void shortRun(String... shape) throws Exception {
        List<String> args = new ArrayList<>(List.of("--socket", socket.toString(), "--protocol", "http",
                "--duration", "1s", "--warmup", "200ms", "--requests", Integer.toString(SAMPLE), "--json"));
        args.addAll(List.of(shape));
        Run run = load(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.number("checks")).isPositive();
        assertThat(run.number("errors")).isZero();
        assertThat(run.number("workload.requests")).isEqualTo(SAMPLE);
        Set<Decision> made = EnumSet.copyOf(expected);
        Map<Decision, String> fields = Map.of(Decision.ALLOWED, "decisions.allowed", Decision.EXPLICIT_DENY,
                "decisions.explicitDeny", Decision.IMPLICIT_DENY, "decisions.implicitDeny");
        long decided = 0;
        for (Decision decision : Decision.values()) {
            long count = run.number(fields.get(decision));
            decided += count;
            if (!made.contains(decision)) {
                assertThat(count).as(decision + " is never the engine's answer to the sample").isZero();
            }
        }
        assertThat(decided).isEqualTo(run.number("checks"));
        assertThat(Files.exists(socket)).isTrue();
    }

    @Test
    void oneConnectionOneCheckAtATime() throws Exception {
        shortRun("--connections", "1", "--batch", "1", "--pipeline", "1");
    }

    @Test
    void batchedOnTwoConnections() throws Exception {
        shortRun("--connections", "2", "--batch", "16", "--pipeline", "1");
    }

    @Test
    void pipelinedSingleChecksAndPipelinedBatches() throws Exception {
        shortRun("--connections", "2", "--batch", "1", "--pipeline", "16");
        shortRun("--connections", "1", "--batch", "8", "--pipeline", "4");
    }

    @Test
    void openLoopAtAFixedRate() throws Exception {
        shortRun("--connections", "1", "--rate", "2000", "--pipeline", "8");
    }

    @Test
    void theTextReportNamesTheApi() {
        Run run = load("--socket", socket.toString(), "--protocol", "http", "--duration", "300ms", "--warmup", "0ms",
                "--requests", "50");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("gavel load: HTTP API on " + socket + " (").contains("snapshot 1")
                .contains("checks/s").contains("0 errors");
    }

    @Test
    void aMissingSocketIsAClearError() {
        Path missing = folder.resolve("missing.sock");
        Run run = load("--socket", missing.toString(), "--protocol", "http", "--duration", "1s");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("gavel load: no socket at " + missing + "; is gavel serve running with "
                + "--http-socket " + missing + "?" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFileThatIsNoSocketIsAClearError() throws Exception {
        Path file = Files.writeString(folder.resolve("not-a-socket"), "");
        Run run = load("--socket", file.toString(), "--protocol", "http", "--duration", "1s");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("gavel load: cannot connect to " + file + ": ");
    }

    @Test
    void theBinaryProtocolsSocketIsNamedForWhatItIs() throws Exception {
        try (TestServer binary = TestServer.start(engine, Files.createDirectories(folder.resolve("binary")))) {
            Run run = load("--socket", binary.socket.toString(), "--protocol", "http", "--duration", "1s");
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).startsWith("gavel load: " + binary.socket + " does not answer HTTP (")
                    .contains("use --protocol binary");
        }
    }

    @Test
    void aBatchLargerThanTheServerTakesIsRefusedBeforeTheRun() {
        Run run = load("--socket", socket.toString(), "--protocol", "http", "--batch", "1001", "--duration", "1s");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--batch 1001 is more than the server takes in one request (1000)");
    }
}
