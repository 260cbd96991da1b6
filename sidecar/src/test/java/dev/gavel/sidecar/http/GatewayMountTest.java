package dev.gavel.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway mounted on the HTTP API answers its own path in its own format, and takes no endpoint's. */
class GatewayMountTest {

    @TempDir
    Path folder;

    static HttpApi api(Engine engine, Path socket) {
        return new HttpApi(HttpConfig.of(socket), engine, engine::reload,
                () -> Status.ready("corpus/demo", Instant.now()), new Metrics(), DecisionLog.off());
    }

    static final Request.Handler HELLO = (request, response, callback) -> {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/plain");
        response.write(true, ByteBuffer.wrap((request.getMethod() + " hello").getBytes(StandardCharsets.UTF_8)),
                callback);
        return true;
    };

    @Test
    void aMountedHandlerAnswersEveryMethodAtItsPathAndTheEndpointsStillAnswer() throws Exception {
        try (Engine engine = Engine.open(TestServer.DEMO)) {
            HttpApi api = api(engine, folder.resolve("gavel.sock")).mount("/gateway", HELLO);
            api.start();
            try (ApiClient client = ApiClient.unix(api.socket())) {
                ApiClient.Reply reply = client.post("/gateway", "");
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("POST hello");
                assertThat(client.get("/gateway").body()).isEqualTo("GET hello");
                assertThat(client.get("/gateway/below").status()).isEqualTo(404);
                assertThat(client.get("/health").body()).isEqualTo("{\"status\":\"up\"}");
            } finally {
                api.stop();
            }
        }
    }

    @Test
    void aPathThatIsTakenOrAMountAfterStartIsRefused() throws Exception {
        try (Engine engine = Engine.open(TestServer.DEMO)) {
            HttpApi api = api(engine, folder.resolve("gavel.sock")).mount("/", HELLO);
            assertThatThrownBy(() -> api.mount("/v1/authorize", HELLO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the HTTP API already answers /v1/authorize");
            assertThatThrownBy(() -> api.mount("/", HELLO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the HTTP API already answers /");
            api.start();
            try {
                assertThatThrownBy(() -> api.mount("/late", HELLO)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("gateways are mounted before the HTTP API starts");
            } finally {
                api.stop();
            }
        }
    }
}
