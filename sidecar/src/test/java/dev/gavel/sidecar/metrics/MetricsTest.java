package dev.gavel.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.Decision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static String scrape(Metrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySeriesIsExposedFromTheStart() throws IOException {
        Metrics metrics = new Metrics();
        metrics.registerErrorCodes(List.of("MALFORMED_JSON", "NOT_FOUND"));
        assertThat(scrape(metrics)).contains(
                "gavel_decisions_total{decision=\"allowed\"} 0.0",
                "gavel_decisions_total{decision=\"explicitDeny\"} 0.0",
                "gavel_decisions_total{decision=\"implicitDeny\"} 0.0",
                "gavel_errors_total{code=\"MALFORMED_JSON\"} 0.0",
                "gavel_errors_total{code=\"NOT_FOUND\"} 0.0",
                "gavel_reloads_total{outcome=\"success\"} 0.0",
                "gavel_reloads_total{outcome=\"failure\"} 0.0",
                "gavel_check_duration_seconds_count 0",
                "gavel_snapshot_version 0.0",
                "gavel_failed_closed_total 0.0",
                "gavel_decision_log_dropped_total 0.0",
                "gavel_decision_log_written_total 0.0");
    }

    @Test
    void recordsDecisionsLatencyErrorsReloadsAndTheVersion() throws IOException {
        Metrics metrics = new Metrics();
        metrics.recordDecision(Decision.ALLOWED, 1_500);
        metrics.recordDecision(Decision.ALLOWED, 40_000);
        metrics.recordDecision(Decision.EXPLICIT_DENY, 800);
        metrics.recordError("UNKNOWN_PRINCIPAL");
        metrics.recordReload(true);
        metrics.recordReload(false);
        metrics.recordReload(false);
        metrics.setVersion(7);
        String text = scrape(metrics);
        assertThat(text).contains(
                "gavel_decisions_total{decision=\"allowed\"} 2.0",
                "gavel_decisions_total{decision=\"explicitDeny\"} 1.0",
                "gavel_check_duration_seconds_bucket{le=\"1.0E-6\"} 1",
                "gavel_check_duration_seconds_bucket{le=\"2.5E-6\"} 2",
                "gavel_check_duration_seconds_bucket{le=\"5.0E-5\"} 3",
                "gavel_check_duration_seconds_count 3",
                "gavel_errors_total{code=\"UNKNOWN_PRINCIPAL\"} 1.0",
                "gavel_reloads_total{outcome=\"success\"} 1.0",
                "gavel_reloads_total{outcome=\"failure\"} 2.0",
                "gavel_snapshot_version 7.0");
        assertThat(metrics.decisions()).isEqualTo(3);
        assertThat(metrics.errors()).isEqualTo(1);
    }

    @Test
    void errorCodesBeyondTheBoundAreCountedAsOther() throws IOException {
        Metrics metrics = new Metrics();
        for (int i = 0; i < Metrics.MAX_ERROR_CODES + 10; i++) {
            metrics.recordError("CODE_" + i);
        }
        String text = scrape(metrics);
        assertThat(text.lines().filter(line -> line.startsWith("gavel_errors_total{")).count())
                .isLessThanOrEqualTo(Metrics.MAX_ERROR_CODES + 1);
        assertThat(text).contains("gavel_errors_total{code=\"OTHER\"} 10.0");
    }
}
