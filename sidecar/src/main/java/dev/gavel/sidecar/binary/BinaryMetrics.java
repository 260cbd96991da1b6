package dev.gavel.sidecar.binary;

import dev.gavel.eval.Decision;
import dev.gavel.sidecar.protocol.ErrorCode;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The binary protocol's metrics, read from its {@link ServerStats} when scraped, so that its I/O
 * threads record nothing beyond the counters they already keep.
 *
 * <pre>
 * gavel_binary_checks_total{decision="allowed|explicitDeny|implicitDeny"}   counter
 * gavel_binary_failed_closed_total                                         counter
 * gavel_binary_requests_total                                              counter: frames answered, errors included
 * gavel_binary_errors_total{code="BUSY|MALFORMED_FRAME|..."}                counter: error frames, by the protocol's code
 * gavel_binary_connections_total{outcome="accepted|refused|stalled"}       counter
 * gavel_binary_open_connections                                            gauge: open now
 * </pre>
 */
public final class BinaryMetrics {

    private BinaryMetrics() {}

    /** Registers the listener's metrics in {@code registry}. */
    public static void register(BinaryListener listener, PrometheusRegistry registry) {
        ServerStats stats = listener.stats();
        CounterWithCallback.builder().name("gavel_binary_checks_total")
                .help("Checks answered over the binary protocol, by decision").labelNames("decision")
                .callback(callback -> {
                    for (Decision decision : Decision.values()) {
                        callback.call(stats.decisions(decision), decision.jsonName());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("gavel_binary_failed_closed_total")
                .help("Binary protocol checks that failed closed (implicitDeny): an internal error, or a principal "
                        + "that vanished or expired")
                .callback(callback -> callback.call(stats.failedClosed())).register(registry);
        CounterWithCallback.builder().name("gavel_binary_requests_total")
                .help("Binary protocol requests answered, error frames included")
                .callback(callback -> callback.call(stats.requests())).register(registry);
        CounterWithCallback.builder().name("gavel_binary_errors_total")
                .help("Binary protocol error frames sent, by error code").labelNames("code")
                .callback(callback -> {
                    for (ErrorCode code : ErrorCode.values()) {
                        if (code != ErrorCode.NULL_VAL && code != ErrorCode.SBE_UNKNOWN) {
                            callback.call(stats.errors(code), code.name());
                        }
                    }
                }).register(registry);
        CounterWithCallback.builder().name("gavel_binary_connections_total")
                .help("Binary protocol connections: accepted, refused at the connection limit, and closed because "
                        + "their client stopped reading").labelNames("outcome")
                .callback(callback -> {
                    callback.call(stats.accepted(), "accepted");
                    callback.call(stats.refused(), "refused");
                    callback.call(stats.stalled(), "stalled");
                }).register(registry);
        GaugeWithCallback.builder().name("gavel_binary_open_connections")
                .help("Binary protocol connections open now")
                .callback(callback -> callback.call(listener.connections())).register(registry);
    }
}
