package dev.gavel.sidecar.http;

import static dev.gavel.sidecar.http.HttpApiTest.ALICE;
import static dev.gavel.sidecar.http.HttpApiTest.DATA_OBJECT;
import static dev.gavel.sidecar.http.HttpApiTest.TLS_EU;
import static dev.gavel.sidecar.http.HttpApiTest.assertError;
import static dev.gavel.sidecar.http.HttpApiTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness before and after a snapshot is loaded; reloads that succeed, fail, or cannot run. */
class ReloadAndReadinessTest {

    @TempDir
    Path folder;
    TestServer server;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(folder);
        client = server.client;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String decide() {
        ApiClient.Reply reply = client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.text(reply.json(), "version");
    }

    @Test
    void notReadyUntilASnapshotIsLoaded() {
        server.ready.set(false);
        ApiClient.Reply before = client.get("/health/ready");
        assertThat(before.status()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("{\"ready\":false}");
        assertError(client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU)), 503, "NOT_READY",
                null);
        assertError(client.post("/v1/authorize/batch", "[]"), 503, "NOT_READY", null);
        // The process is up, and what needs no snapshot still works.
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(client.post("/v1/validate", "{}").status()).isEqualTo(200);

        server.ready.set(true);
        ApiClient.Reply after = client.get("/health/ready");
        assertThat(after.status()).isEqualTo(200);
        assertThat(Json.text(after.json(), "version")).isEqualTo(Long.toString(server.engine.version()));
        assertThat(decide()).isEqualTo(Long.toString(server.engine.version()));
    }

    @Test
    void aReloadSwapsInTheNewSnapshot() {
        String before = decide();
        ApiClient.Reply reload = client.post("/v1/reload", null);
        assertThat(reload.status()).as(reload.body()).isEqualTo(200);
        String version = Json.text(reload.json(), "version");
        assertThat(Long.parseLong(version)).isGreaterThan(Long.parseLong(before));
        assertThat(decide()).isEqualTo(version);
        var metrics = HttpApiTest.parse(client.get("/metrics").body());
        assertThat(metrics.get("gavel_reloads_total{outcome=\"success\"}")).isEqualTo(1.0);
        assertThat(metrics.get("gavel_snapshot_version")).isEqualTo(Double.parseDouble(version));
    }

    @Test
    void aReloadThatFailsNamesEveryProblemAndTheOldSnapshotKeepsServing() throws Exception {
        String before = decide();
        Path account = server.directory.resolve("accounts").resolve("111122223333.json");
        Files.writeString(account, "{\"UserDetailList\": [}");
        ApiClient.Reply reload = client.post("/v1/reload", null);
        assertError(reload, 422, "RELOAD_FAILED", null);
        JsonValue error = reload.json();
        assertThat(Json.text(error, "error.message")).contains("snapshot " + before + " keeps serving");
        assertThat(Json.text(error, "error.problems[0].file")).endsWith("111122223333.json");
        assertThat(Json.text(error, "error.problems[0].line")).isEqualTo("1");
        assertThat(Json.text(error, "error.problems[0].message")).isNotBlank();

        assertThat(decide()).isEqualTo(before);
        var metrics = HttpApiTest.parse(client.get("/metrics").body());
        assertThat(metrics.get("gavel_reloads_total{outcome=\"failure\"}")).isEqualTo(1.0);
        assertThat(metrics.get("gavel_snapshot_version")).isEqualTo(Double.parseDouble(before));
    }

    @Test
    void aReloadWithNothingToReloadFromOrAnotherRunningIsAConflict() throws Exception {
        server.reload = () -> {
            throw new IllegalStateException("this engine was built from a directory in memory; it has no folder to "
                    + "reload from");
        };
        assertError(client.post("/v1/reload", null), 409, "RELOAD_UNAVAILABLE", null);

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.reload = () -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return server.engine.reload();
        };
        CompletableFuture<ApiClient.Reply> first = CompletableFuture.supplyAsync(() -> client.post("/v1/reload", null));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertError(client.post("/v1/reload", null), 409, "RELOAD_IN_PROGRESS", null);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
}
