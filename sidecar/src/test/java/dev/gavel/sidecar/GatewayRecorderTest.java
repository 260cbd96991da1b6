package dev.gavel.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.gateway.GatewayDecision;
import dev.gavel.gateway.MappedRequest;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators see of the gateways: a counter per gateway and outcome, at zero before the first
 * request, and a decision log line for each decided request (never for one refused before its
 * caller was known).
 */
class GatewayRecorderTest {

    @TempDir
    Path folder;

    private static final MappedRequest GET = new MappedRequest("GetObject", "s3:GetObject",
            "arn:aws:s3:::photos/a.jpg", RequestContext.empty());

    @Test
    void countsEachGatewaysOutcomesAndLogsDecidedRequests() throws Exception {
        Metrics metrics = new Metrics();
        Path file = folder.resolve("decisions.jsonl");
        DecisionLog log = DecisionLog.open(file, 16, metrics);
        GatewayRecorder recorder = new GatewayRecorder(metrics, log);
        Consumer<GatewayDecision> envoy = recorder.observer("envoy");
        Consumer<GatewayDecision> nginx = recorder.observer("nginx");
        assertThat(scrape(metrics)).contains("gavel_gateway_requests_total{gateway=\"nginx\",outcome=\"allowed\"} 0");

        envoy.accept(new GatewayDecision(true, 200, null, null, "arn:aws:iam::111122223333:user/alice", GET,
                Decision.ALLOWED, "id-1", 3, "/photos/a.jpg"));
        envoy.accept(new GatewayDecision(false, 403, "AccessDenied", "denied", "anonymous", GET,
                Decision.IMPLICIT_DENY, "id-2", 3, "/photos/a.jpg"));
        nginx.accept(new GatewayDecision(false, 403, "SignatureDoesNotMatch", "bad signature", null, null, null,
                "id-3", 3, "/photos/a.jpg"));
        log.close();

        String text = scrape(metrics);
        assertThat(text).contains("gavel_gateway_requests_total{gateway=\"envoy\",outcome=\"allowed\"} 1")
                .contains("gavel_gateway_requests_total{gateway=\"envoy\",outcome=\"denied\"} 1")
                .contains("gavel_gateway_requests_total{gateway=\"nginx\",outcome=\"SignatureDoesNotMatch\"} 1")
                .contains("gavel_gateway_requests_total{gateway=\"nginx\",outcome=\"allowed\"} 0");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"decisionId\":\"id-1\"").contains("\"decision\":\"allowed\"")
                .contains("\"principal\":\"arn:aws:iam::111122223333:user/alice\"");
        assertThat(lines.get(1)).contains("\"decisionId\":\"id-2\"").contains("\"principal\":\"anonymous\"");
    }

    private static String scrape(Metrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
