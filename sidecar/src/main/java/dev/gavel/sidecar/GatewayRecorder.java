package dev.gavel.sidecar;

import dev.gavel.gateway.GatewayDecision;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.function.Consumer;

/**
 * Records the decisions of the gateways {@code gavel serve} runs: one Prometheus series per
 * gateway and outcome ({@code allowed}, {@code denied}, or the refusal's AWS error code, a small
 * fixed set), and each decided request in the decision log.
 */
final class GatewayRecorder {

    private final Counter requests;
    private final DecisionLog log;

    GatewayRecorder(Metrics metrics, DecisionLog log) {
        this.requests = Counter.builder().name("gavel_gateway_requests_total")
                .help("Requests decided by a gateway adapter, by gateway and outcome (allowed, denied, or the AWS "
                        + "error code of a request refused before deciding)")
                .labelNames("gateway", "outcome").withoutExemplars().register(metrics.registry());
        this.log = log;
    }

    /** The observer for one gateway, such as {@code envoy}. */
    Consumer<GatewayDecision> observer(String gateway) {
        requests.labelValues(gateway, "allowed");
        requests.labelValues(gateway, "denied");
        return decision -> {
            String outcome = decision.allowed() ? "allowed"
                    : decision.decision() != null ? "denied" : decision.errorCode();
            requests.labelValues(gateway, outcome).inc();
            if (decision.decision() != null && decision.mapped() != null) {
                log.record(decision.decisionId(), decision.principal(), null, decision.mapped().action(),
                        decision.mapped().resource(), decision.decision(), decision.version());
            }
        };
    }
}
