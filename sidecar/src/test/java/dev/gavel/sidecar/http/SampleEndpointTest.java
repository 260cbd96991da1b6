package dev.gavel.sidecar.http;

import static dev.gavel.sidecar.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.cli.RequestSample;
import dev.gavel.eval.RequestContext;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonValue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/sample}: the directory's own realistic requests, for load tools, over a real Unix socket. */
class SampleEndpointTest {

    @TempDir
    static Path folder;
    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(folder);
        client = server.client;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSampleIsRequestSamplesDrawForTheCountAndSeed() {
        ApiClient.Reply reply = client.get("/v1/sample?count=50&seed=7");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        JsonValue sample = reply.json();
        List<RequestSample.Request> expected = RequestSample.draw(server.engine.directory(), 50, 7, Clock.systemUTC());
        assertThat(Json.size(sample, "requests")).isEqualTo(50);
        for (int i = 0; i < expected.size(); i++) {
            RequestSample.Request request = expected.get(i);
            String at = "requests[" + i + "].";
            assertThat(Json.text(sample, at + "principal")).isEqualTo(request.principal());
            assertThat(Json.text(sample, at + "action")).isEqualTo(request.action());
            assertThat(Json.text(sample, at + "resource")).isEqualTo(request.resource());
            JsonObject context = (JsonObject) Json.at(sample, at + "context");
            assertThat(context.members()).hasSize(request.context().size());
            for (Map.Entry<String, String> fact : request.context().entrySet()) {
                assertThat(context.get(fact.getKey()).scalarText()).isEqualTo(fact.getValue());
            }
        }
        assertThat(client.get("/v1/sample?count=50&seed=7").body()).isEqualTo(reply.body());
        assertThat(client.get("/v1/sample?count=50&seed=8").body()).isNotEqualTo(reply.body());
    }

    @Test
    void withoutParametersItDrawsOneHundredWithSeedOne() {
        JsonValue sample = client.get("/v1/sample").json();
        assertThat(Json.size(sample, "requests")).isEqualTo(Samples.DEFAULT_COUNT);
        assertThat(client.get("/v1/sample?count=100&seed=1").body()).isEqualTo(client.get("/v1/sample").body());
    }

    @Test
    void aSampleIsABatchBodyAndIsDecidedAsTheEngineDecidesIt() throws Exception {
        String sample = client.get("/v1/sample?count=200&seed=3").body();
        ApiClient.Reply answers = client.post("/v1/authorize/batch", sample);
        assertThat(answers.status()).as(answers.body()).isEqualTo(200);
        List<RequestSample.Request> requests = RequestSample.draw(server.engine.directory(), 200, 3,
                Clock.systemUTC());
        for (int i = 0; i < requests.size(); i++) {
            RequestSample.Request request = requests.get(i);
            RequestContext.Builder context = RequestContext.builder();
            request.context().forEach(context::put);
            String expected = server.engine.check(request.principal(), request.action(), request.resource(),
                    context.build()).decision().jsonName();
            assertThat(Json.text(answers.json(), "answers[" + i + "].decision")).as("request " + i).isEqualTo(expected);
        }
    }

    @Test
    void countAndSeedMustBeWholeNumbersAndTheCountBounded() {
        assertError(client.get("/v1/sample?count=0"), 400, "INVALID_FIELD", "count");
        ApiClient.Reply tooMany = client.get("/v1/sample?count=100001");
        assertError(tooMany, 400, "INVALID_FIELD", "count");
        assertThat(Json.text(tooMany.json(), "error.message"))
                .isEqualTo("must be a whole number from 1 to 100000, found \"100001\"");
        assertError(client.get("/v1/sample?count=ten"), 400, "INVALID_FIELD", "count");
        assertError(client.get("/v1/sample?seed=1.5"), 400, "INVALID_FIELD", "seed");
        assertError(client.get("/v1/sample?cuont=5"), 400, "UNKNOWN_FIELD", "cuont");
        assertError(client.post("/v1/sample", "{}"), 405, "METHOD_NOT_ALLOWED", null);
        assertThat(client.get("/v1/sample?count=5&seed=-5").status()).isEqualTo(200);
    }

    @Test
    void notReadyUntilASnapshotIsLoaded() {
        server.ready.set(false);
        try {
            assertError(client.get("/v1/sample"), 503, "NOT_READY", null);
        } finally {
            server.ready.set(true);
        }
    }

    @Test
    void theStatusStatesTheLimitsThatLoadToolsKeepTo() {
        JsonValue status = client.get("/v1/status").json();
        assertThat(Json.text(status, "limits.maxBatch")).isEqualTo(Integer.toString(HttpConfig.DEFAULT_MAX_BATCH_SIZE));
        assertThat(Json.text(status, "limits.maxBodyBytes")).isEqualTo(Integer.toString(HttpConfig.DEFAULT_MAX_BODY_BYTES));
        assertThat(Json.text(status, "limits.maxSample")).isEqualTo(Integer.toString(Samples.MAX_COUNT));
    }
}
