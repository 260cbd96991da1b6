package dev.gavel.sidecar.metrics;

import dev.gavel.Answer;
import dev.gavel.eval.Decision;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's metrics, in a Prometheus registry of its own, for every front end of
 * {@code gavel serve} (the binary protocol and the HTTP API) to record into and for
 * {@code GET /metrics} to expose in Prometheus's text format.
 *
 * <p>Recording is cheap and allocates nothing: every labelled series is created up front (the
 * three decisions, both reload outcomes, the error codes registered), and the counters and the
 * histogram are the Prometheus client's lock-free ones, without exemplars. Labels have few
 * values by construction: never a principal, an action or a resource.
 *
 * <pre>
 * gavel_decisions_total{decision="allowed|explicitDeny|implicitDeny"}   counter
 * gavel_failed_closed_total                                             counter: answers that failed closed
 * gavel_check_duration_seconds                                          histogram: one check, as its front end timed it
 * gavel_errors_total{code="MALFORMED_JSON|..."}                         counter: requests refused, by error code
 * gavel_reloads_total{outcome="success|failure"}                        counter
 * gavel_snapshot_version                                                gauge
 * gavel_decision_log_written_total, gavel_decision_log_dropped_total    counters
 * </pre>
 *
 * Thread-safe.
 */
public final class Metrics {

    /** Error codes beyond this many distinct ones are counted as {@code OTHER}, to bound the series. */
    static final int MAX_ERROR_CODES = 64;
    static final String OTHER = "OTHER";

    /** From a microsecond to a tenth of a second: checks take about a microsecond in process. */
    private static final double[] CHECK_BUCKETS = {
        0.000_001, 0.000_002_5, 0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5,
        0.001, 0.002_5, 0.005, 0.01, 0.1};
    private static final double NANOS_PER_SECOND = 1e9;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter textFormat = PrometheusTextFormatWriter.create();

    private final CounterDataPoint allowed;
    private final CounterDataPoint explicitDeny;
    private final CounterDataPoint implicitDeny;
    private final Counter failedClosed;
    private final Histogram checkDuration;
    private final Counter errors;
    private final ConcurrentHashMap<String, CounterDataPoint> errorSeries = new ConcurrentHashMap<>();
    private final CounterDataPoint reloadSuccess;
    private final CounterDataPoint reloadFailure;
    private final Gauge snapshotVersion;
    private final Counter logWritten;
    private final Counter logDropped;

    public Metrics() {
        Counter decisions = Counter.builder().name("gavel_decisions_total")
                .help("Decisions answered, by decision").labelNames("decision").withoutExemplars().register(registry);
        allowed = decisions.labelValues(Decision.ALLOWED.jsonName());
        explicitDeny = decisions.labelValues(Decision.EXPLICIT_DENY.jsonName());
        implicitDeny = decisions.labelValues(Decision.IMPLICIT_DENY.jsonName());
        failedClosed = Counter.builder().name("gavel_failed_closed_total")
                .help("Answers that failed closed (implicitDeny): an internal error, or a principal that vanished "
                        + "or expired")
                .withoutExemplars().register(registry);
        checkDuration = Histogram.builder().name("gavel_check_duration_seconds")
                .help("Time to decide one check, from the parsed request to the answer, principal lookup included")
                .classicOnly().classicUpperBounds(CHECK_BUCKETS).withoutExemplars().register(registry);
        errors = Counter.builder().name("gavel_errors_total")
                .help("Requests refused with an error, by error code").labelNames("code").withoutExemplars()
                .register(registry);
        Counter reloads = Counter.builder().name("gavel_reloads_total")
                .help("Reloads of the directory, by outcome").labelNames("outcome").withoutExemplars()
                .register(registry);
        reloadSuccess = reloads.labelValues("success");
        reloadFailure = reloads.labelValues("failure");
        snapshotVersion = Gauge.builder().name("gavel_snapshot_version")
                .help("Version of the snapshot that checks are decided on").withoutExemplars().register(registry);
        logWritten = Counter.builder().name("gavel_decision_log_written_total")
                .help("Entries written to the decision log").withoutExemplars().register(registry);
        logDropped = Counter.builder().name("gavel_decision_log_dropped_total")
                .help("Decision log entries dropped because the log's queue was full or writing failed")
                .withoutExemplars().register(registry);
    }

    /**
     * Creates the error series for these codes up front, so that they are exposed at zero before
     * the first error and recording them allocates nothing.
     */
    public void registerErrorCodes(Iterable<String> codes) {
        for (String code : codes) {
            series(code);
        }
    }

    /** Counts one decision and how long it took to decide, in nanoseconds. */
    public void recordDecision(Decision decision, long nanos) {
        (decision == Decision.ALLOWED ? allowed : decision == Decision.EXPLICIT_DENY ? explicitDeny : implicitDeny)
                .inc();
        checkDuration.observe(nanos / NANOS_PER_SECOND);
    }

    /** Counts one answer (its decision, and whether it failed closed) and how long it took, in nanoseconds. */
    public void recordAnswer(Answer answer, long nanos) {
        recordDecision(answer.decision(), nanos);
        if (answer.failed()) {
            failedClosed.inc();
        }
    }

    /** Counts one request refused with this stable error code. */
    public void recordError(String code) {
        series(code).inc();
    }

    /** Counts a reload, successful or not. */
    public void recordReload(boolean ok) {
        (ok ? reloadSuccess : reloadFailure).inc();
    }

    /** The version of the snapshot that checks are decided on now. */
    public void setVersion(long version) {
        snapshotVersion.set(version);
    }

    /** Counts decision log entries written. */
    public void recordLogWritten(long entries) {
        logWritten.inc(entries);
    }

    /** Counts one decision log entry dropped. */
    public void recordLogDrop() {
        logDropped.inc();
    }

    /** Decisions counted so far, of every kind. */
    public long decisions() {
        return allowed.getLongValue() + explicitDeny.getLongValue() + implicitDeny.getLongValue();
    }

    /** Errors counted so far, of every code. */
    public long errors() {
        long sum = 0;
        for (CounterDataPoint series : errorSeries.values()) {
            sum += series.getLongValue();
        }
        return sum;
    }

    /** The registry, for a front end to register metrics of its own. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The content type of {@link #writeText}: Prometheus's text format 0.0.4. */
    public String textContentType() {
        return textFormat.getContentType();
    }

    /** Writes every metric in Prometheus's text format. */
    public void writeText(OutputStream out) throws IOException {
        textFormat.write(out, registry.scrape());
    }

    private CounterDataPoint series(String code) {
        CounterDataPoint series = errorSeries.get(code);
        if (series != null) {
            return series;
        }
        if (errorSeries.size() >= MAX_ERROR_CODES) {
            return errorSeries.computeIfAbsent(OTHER, errors::labelValues);
        }
        return errorSeries.computeIfAbsent(code, errors::labelValues);
    }
}
