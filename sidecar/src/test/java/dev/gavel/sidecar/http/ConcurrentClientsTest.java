package dev.gavel.sidecar.http;

import static dev.gavel.sidecar.http.HttpApiTest.ALICE;
import static dev.gavel.sidecar.http.HttpApiTest.DATA_OBJECT;
import static dev.gavel.sidecar.http.HttpApiTest.TLS_EU;
import static dev.gavel.sidecar.http.HttpApiTest.TLS_SYDNEY;
import static dev.gavel.sidecar.http.HttpApiTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several clients on their own connections at once, good requests mixed with bad ones and with
 * reloads: each gets its own right answer, whatever the others send.
 */
class ConcurrentClientsTest {

    private static final int CLIENTS = 6;
    private static final int REQUESTS = 300;

    @TempDir
    Path folder;

    /** A request and what it must get. */
    private record Exchange(String path, String body, int status, String expect) {}

    private static final List<Exchange> MIX = List.of(
            new Exchange("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU), 200,
                    "\"decision\":\"allowed\""),
            new Exchange("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_SYDNEY), 200,
                    "\"decision\":\"explicitDeny\""),
            new Exchange("/v1/authorize", check(ALICE, "s3:DeleteObject", DATA_OBJECT, TLS_EU), 200,
                    "\"decision\":\"implicitDeny\""),
            new Exchange("/v1/authorize", "{\"principal\": \"" + ALICE + "\", \"action\": ", 400, "MALFORMED_JSON"),
            new Exchange("/v1/authorize", check("arn:aws:iam::111122223333:user/ghost", "s3:GetObject", DATA_OBJECT,
                    TLS_EU), 422, "UNKNOWN_PRINCIPAL"),
            new Exchange("/v1/authorize/batch", "[" + check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU) + ","
                    + check(ALICE, "s3:DeleteObject", DATA_OBJECT, TLS_EU) + "]", 200,
                    "[{\"decision\":\"allowed\""),
            new Exchange("/v1/nowhere", "{}", 404, "NOT_FOUND"));

    @Test
    void eachClientGetsItsOwnAnswers() throws Exception {
        try (TestServer server = new TestServer(folder)) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int seed = c;
                    clients.add(pool.submit(() -> {
                        int checked = 0;
                        try (ApiClient client = ApiClient.unix(server.api.socket())) {
                            for (int i = 0; i < REQUESTS; i++) {
                                if (seed == 0 && i % 100 == 50) {
                                    assertThat(client.post("/v1/reload", null).status()).isEqualTo(200);
                                    continue;
                                }
                                Exchange exchange = MIX.get((i * 7 + seed) % MIX.size());
                                ApiClient.Reply reply = client.post(exchange.path(), exchange.body());
                                assertThat(reply.status()).as(exchange.body()).isEqualTo(exchange.status());
                                assertThat(reply.body()).contains(exchange.expect());
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> client : clients) {
                    total += client.get(60, TimeUnit.SECONDS);
                }
                assertThat(total).isEqualTo(CLIENTS * REQUESTS - 3);
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.engine.failures()).isZero();
        }
    }
}
