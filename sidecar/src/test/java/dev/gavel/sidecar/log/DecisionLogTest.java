package dev.gavel.sidecar.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.Decision;
import dev.gavel.report.DecisionIds;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogTest {

    @TempDir
    Path folder;

    @Test
    void writesOneJsonLinePerDecisionAndFlushesOnClose() throws IOException {
        Path file = folder.resolve("decisions.jsonl");
        Metrics metrics = new Metrics();
        DecisionLog log = DecisionLog.open(file, 16, metrics);
        log.record("id-1", "arn:aws:iam::111122223333:user/alice", null, "s3:GetObject", "arn:aws:s3:::b/k",
                Decision.ALLOWED, 3);
        log.record("id-2", "arn:aws:sts::111122223333:assumed-role/App/s", "ASIAEXAMPLE", "s3:PutObject",
                "arn:aws:s3:::b/\"quoted\"", Decision.IMPLICIT_DENY, 4);
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\{\"decisionId\":\"id-1\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\","
                + "\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"s3:GetObject\","
                + "\"resource\":\"arn:aws:s3:::b/k\",\"decision\":\"allowed\",\"version\":3}");
        assertThat(lines.get(1)).contains("\"accessKeyId\":\"ASIAEXAMPLE\"", "\"resource\":\"arn:aws:s3:::b/\\\"quoted\\\"\"",
                "\"decision\":\"implicitDeny\"");
        assertThat(log.written()).isEqualTo(2);
        assertThat(log.dropped()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // Appends on the next start; a closed log drops what it is given.
        DecisionLog again = DecisionLog.open(file, 16, metrics);
        again.record("id-3", "p", null, "a:b", "r", Decision.EXPLICIT_DENY, 5);
        again.close();
        again.record("id-4", "p", null, "a:b", "r", Decision.EXPLICIT_DENY, 5);
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(again.dropped()).isEqualTo(1);
    }

    /** An output that blocks its writer until released, as a stalled disk would. */
    static final class StalledOutput extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bytes.write(b, off, len);
        }
    }

    @Test
    void whenTheQueueIsFullEntriesAreDroppedAndCountedAndRecordingNeverWaits() throws Exception {
        StalledOutput out = new StalledOutput();
        Metrics metrics = new Metrics();
        int capacity = 8;
        DecisionLog log = new DecisionLog(folder.resolve("stalled.jsonl"), out, capacity, metrics);
        log.record("first", "p", null, "a:b", "r", Decision.ALLOWED, 1);
        // The writer took the first entry and is stuck writing it: the queue is empty.
        assertThat(out.writing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < capacity + 3; i++) {
            log.record("id-" + i, "p", null, "a:b", "r", Decision.ALLOWED, 1);
        }
        assertThat(log.dropped()).isEqualTo(3);
        ByteArrayOutputStream scrape = new ByteArrayOutputStream();
        metrics.writeText(scrape);
        assertThat(scrape.toString(StandardCharsets.UTF_8)).contains("gavel_decision_log_dropped_total 3.0");

        out.release.countDown();
        log.close();
        List<String> lines = out.bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1 + capacity);
        assertThat(lines.get(0)).contains("\"decisionId\":\"first\"");
        assertThat(lines.get(capacity)).contains("\"decisionId\":\"id-" + (capacity - 1) + "\"");
    }

    @Test
    void anOffLogRecordsNothing() {
        DecisionLog off = DecisionLog.off();
        off.record("id", "p", null, "a:b", "r", Decision.ALLOWED, 1);
        off.close();
        assertThat(off.enabled()).isFalse();
        assertThat(off.dropped()).isZero();
    }

    @Test
    void decisionIdsAreUniqueAndShort() {
        String first = DecisionIds.next();
        String second = DecisionIds.next();
        assertThat(first).matches("[0-9a-f]{16}-[0-9a-f]+").isNotEqualTo(second);
        assertThat(first.substring(0, 17)).isEqualTo(second.substring(0, 17));
    }
}
