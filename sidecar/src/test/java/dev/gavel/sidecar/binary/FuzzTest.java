package dev.gavel.sidecar.binary;

import static dev.gavel.sidecar.TestDirectories.ALICE;
import static dev.gavel.sidecar.TestDirectories.BOB;
import static dev.gavel.sidecar.TestDirectories.REPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.TestDirectories;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated frames at a live server, each on its own connection, while a well-behaved
 * client checks on another: the server answers or closes every bad connection, never hangs or
 * dies, and the good client's answers stay right throughout.
 */
@Timeout(120)
class FuzzTest {

    private static final long SEED = 20_261_201L;
    private static final int FRAMES = 3_000;

    @TempDir
    Path folder;

    @Test
    void badFramesNeverHurtTheServerOrOtherClients() throws Exception {
        Random random = new Random(SEED);
        byte[][] valid = {
            RawConnection.checkFrame(1, 1, ALICE, "s3:GetObject", REPORT),
            RawConnection.checkFrame(2, 3, BOB, "s3:ListBucket", "arn:aws:s3:::reports"),
            RawConnection.checkFrame(3, 2, "arn:aws:sts::111122223333:assumed-role/x/y", "kms:Decrypt", "*"),
        };
        List<Check> good = List.of(Check.of(ALICE, "s3:GetObject", REPORT).with("aws:SecureTransport", "true"),
                Check.of(BOB, "s3:GetObject", REPORT).with("aws:SecureTransport", "true"));
        try (TestServer server = TestServer.start(Engine.of(TestDirectories.reports(false)), folder,
                BinaryLimits.defaults().withIoThreads(2).withMaxFrameBytes(4096))) {
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicLong goodAnswers = new AtomicLong();
            Thread checker = new Thread(() -> {
                try (GavelClient client = server.client()) {
                    while (fuzzing.get()) {
                        List<CheckResult> results = client.checkBatch(good);
                        if (results.get(0).decision() != Decision.ALLOWED
                                || results.get(1).decision() != Decision.IMPLICIT_DENY) {
                            wrong.add("wrong answers: " + results);
                        }
                        goodAnswers.incrementAndGet();
                    }
                } catch (Exception e) {
                    wrong.add("the good client failed: " + e);
                }
            });
            checker.start();
            for (int i = 0; i < FRAMES; i++) {
                byte[] frame = i % 4 == 0 ? randomFrame(random) : mutate(valid[random.nextInt(valid.length)], random);
                send(server, frame);
            }
            fuzzing.set(false);
            checker.join();
            assertThat(wrong).isEmpty();
            assertThat(goodAnswers.get()).isPositive();
            try (GavelClient after = server.client()) {
                assertThat(after.checkBatch(good)).extracting(CheckResult::decision)
                        .containsExactly(Decision.ALLOWED, Decision.IMPLICIT_DENY);
            }
            LimitsTest.await(() -> server.listener.connections() == 0);
        }
    }

    /** Sends one frame, half-closes, and reads until the server closes: every connection must end. */
    private static void send(TestServer server, byte[] frame) throws IOException {
        try (RawConnection raw = new RawConnection(server.socket)) {
            raw.write(frame);
            raw.channel.shutdownOutput();
            raw.readUntilClosed();
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
        }
    }

    private static byte[] randomFrame(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        if (bytes.length >= MessageHeaderEncoder.ENCODED_LENGTH && random.nextBoolean()) {
            new MessageHeaderEncoder().wrap(new UnsafeBuffer(bytes), 0).frameLength(bytes.length)
                    .schemaId(MessageHeaderEncoder.SCHEMA_ID);
        }
        return bytes;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> bytes[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                default -> {
                    byte[] cut = new byte[at];
                    System.arraycopy(bytes, 0, cut, 0, at);
                    bytes = cut.length == 0 ? bytes : cut;
                }
            }
        }
        return bytes;
    }
}
