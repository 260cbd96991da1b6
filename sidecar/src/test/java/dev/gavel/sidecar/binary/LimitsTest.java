package dev.gavel.sidecar.binary;

import static dev.gavel.sidecar.TestDirectories.ALICE;
import static dev.gavel.sidecar.TestDirectories.REPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.Engine;
import dev.gavel.sidecar.TestDirectories;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.ConnectionClosedException;
import dev.gavel.sidecar.client.GavelClient;
import dev.gavel.sidecar.client.GavelClientException;
import dev.gavel.sidecar.protocol.CheckResponseDecoder;
import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.ErrorDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.WelcomeDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each limit, on a real socket: what a client that breaks it gets, and that everyone else keeps being served. */
@Timeout(60)
class LimitsTest {

    @TempDir
    Path folder;

    private static final Check READ = Check.of(ALICE, "s3:GetObject", REPORT).with("aws:SecureTransport", "true");

    private TestServer start(BinaryLimits limits) throws Exception {
        return TestServer.start(Engine.of(TestDirectories.reports(false)), folder, limits);
    }

    private static BinaryLimits limits() {
        return BinaryLimits.defaults().withIoThreads(2);
    }

    @Test
    void aFrameTooLargeIsRefusedAndItsConnectionClosed() throws Exception {
        try (TestServer server = start(limits().withMaxFrameBytes(1024)); GavelClient other = server.client();
                RawConnection raw = new RawConnection(server.socket)) {
            assertThat(raw.read().templateId()).isEqualTo(WelcomeDecoder.TEMPLATE_ID);
            raw.write(header(10_000));
            RawConnection.Frame refusal = raw.readUntilClosed();
            assertThat(refusal.templateId()).isEqualTo(ErrorDecoder.TEMPLATE_ID);
            assertThat(refusal.errorCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(other.check(READ).allowed()).isTrue();
            assertThat(server.stats().errors(ErrorCode.FRAME_TOO_LARGE)).isEqualTo(1);
        }
    }

    @Test
    void theClientRefusesToSendAFrameTooLarge() throws Exception {
        try (TestServer server = start(limits().withMaxFrameBytes(1024)); GavelClient client = server.client()) {
            Check huge = Check.of(ALICE, "s3:GetObject", "arn:aws:s3:::reports/" + "x".repeat(2_000));
            assertThatThrownBy(() -> client.check(huge)).isInstanceOf(GavelClientException.class)
                    .extracting(e -> ((GavelClientException) e).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(client.check(READ).allowed()).isTrue();
        }
    }

    @Test
    void aBatchTooLargeIsRefusedAndTheConnectionKeepsServing() throws Exception {
        try (TestServer server = start(limits().withMaxBatch(4)); RawConnection raw = new RawConnection(server.socket)) {
            raw.read();
            raw.write(RawConnection.checkFrame(7, 5, ALICE, "s3:GetObject", REPORT));
            RawConnection.Frame refusal = raw.read();
            assertThat(refusal.errorCode()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
            assertThat(refusal.errorRequestId()).isEqualTo(7);
            raw.write(RawConnection.checkFrame(8, 4, ALICE, "s3:GetObject", REPORT));
            assertThat(raw.read().templateId()).isEqualTo(CheckResponseDecoder.TEMPLATE_ID);
        }
        try (TestServer server = start(limits().withMaxBatch(4)); GavelClient client = server.client()) {
            assertThatThrownBy(() -> client.checkBatch(Collections.nCopies(5, READ)))
                    .isInstanceOf(GavelClientException.class)
                    .extracting(e -> ((GavelClientException) e).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
        }
    }

    @Test
    void connectionsPastTheLimitAreToldAndClosed() throws Exception {
        try (TestServer server = start(limits().withMaxConnections(2)); GavelClient first = server.client()) {
            GavelClient second = server.client();
            assertThatThrownBy(server::client).isInstanceOf(ConnectionClosedException.class)
                    .satisfies(e -> assertThat(((GavelClientException) e).code())
                            .isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS))
                    .satisfies(e -> assertThat(((GavelClientException) e).retryable()).isTrue());
            assertThat(first.check(READ).allowed()).isTrue();
            second.close();
            await(() -> server.listener.connections() == 1);
            try (GavelClient third = server.client()) {
                assertThat(third.check(READ).allowed()).isTrue();
            }
            assertThat(server.stats().refused()).isEqualTo(1);
        }
    }

    @Test
    void requestsPastTheInFlightLimitAreAnsweredBusy() throws Exception {
        int requests = 20_000;
        try (TestServer server = start(limits().withMaxInFlight(8).withMaxAnswerBytes(4096)
                .withStallTimeout(Duration.ofSeconds(30)));
                RawConnection raw = new RawConnection(server.socket)) {
            raw.read();
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int i = 1; i <= requests; i++) {
                frames.writeBytes(RawConnection.checkFrame(i, 1, ALICE, "s3:GetObject", REPORT));
            }
            Thread writer = new Thread(() -> {
                try {
                    raw.write(frames.toByteArray());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            // Nothing is read until the server has had to refuse: its answers have filled the socket.
            await(() -> server.stats().errors(ErrorCode.BUSY) > 0);
            int answered = 0;
            int busy = 0;
            while (answered + busy < requests) {
                RawConnection.Frame frame = raw.read();
                if (frame.templateId() == CheckResponseDecoder.TEMPLATE_ID) {
                    answered++;
                } else {
                    assertThat(frame.errorCode()).isEqualTo(ErrorCode.BUSY);
                    busy++;
                }
            }
            writer.join();
            assertThat(busy).isPositive();
            assertThat(answered).isPositive();
            assertThat(server.stats().errors(ErrorCode.BUSY)).isEqualTo(busy);
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndOthersAreServed() throws Exception {
        try (TestServer server = start(limits().withMaxAnswerBytes(4096).withStallTimeout(Duration.ofMillis(300)));
                GavelClient other = server.client(); RawConnection raw = new RawConnection(server.socket)) {
            raw.read();
            byte[] frame = RawConnection.checkFrame(1, 100, ALICE, "s3:GetObject", REPORT);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 100_000; i++) {
                        raw.write(frame);
                    }
                } catch (java.io.IOException expected) {
                    // The server dropped the connection.
                }
            });
            writer.start();
            await(() -> server.stats().stalled() == 1);
            writer.join();
            assertThat(other.check(READ).allowed()).isTrue();
        }
    }

    @Test
    void aMalformedFrameClosesOnlyItsConnection() throws Exception {
        try (TestServer server = start(limits()); GavelClient other = server.client();
                RawConnection raw = new RawConnection(server.socket)) {
            raw.read();
            byte[] frame = RawConnection.checkFrame(3, 1, ALICE, "s3:GetObject", REPORT);
            // The first check's context group claims 60,000 entries, which run past the frame's end.
            ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(MessageHeaderEncoder.ENCODED_LENGTH
                    + 9 + 4 + 1 + 2, (short) 60_000);
            raw.write(frame);
            RawConnection.Frame refusal = raw.readUntilClosed();
            assertThat(refusal.errorCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(other.check(READ).allowed()).isTrue();
        }
    }

    @Test
    void anotherSchemaIsRefused() throws Exception {
        try (TestServer server = start(limits()); RawConnection raw = new RawConnection(server.socket)) {
            raw.read();
            byte[] frame = RawConnection.checkFrame(3, 1, ALICE, "s3:GetObject", REPORT);
            new UnsafeBuffer(frame).putShort(MessageHeaderEncoder.schemaIdEncodingOffset(), (short) 42,
                    ByteOrder.LITTLE_ENDIAN);
            raw.write(frame);
            assertThat(raw.readUntilClosed().errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL);
        }
    }

    @Test
    void aLostConnectionFailsWhatIsInFlightClearly() throws Exception {
        TestServer server = start(limits());
        GavelClient client = server.client();
        assertThat(client.check(READ).allowed()).isTrue();
        server.close();
        assertThatThrownBy(() -> client.check(READ)).isInstanceOf(ConnectionClosedException.class);
        assertThat(client.isOpen()).isFalse();
        List<Throwable> failures = new ArrayList<>();
        client.checkAsync(READ).whenComplete((result, error) -> failures.add(error)).exceptionally(e -> null).join();
        assertThat(failures).singleElement().extracting(Throwable::getCause)
                .isInstanceOf(ConnectionClosedException.class);
        client.close();
    }

    @Test
    void shuttingDownIsARetryableFailure() throws Exception {
        TestServer server = start(limits());
        GavelClient client = server.client();
        List<java.util.concurrent.CompletableFuture<CheckResult>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(client.checkAsync(READ));
        }
        answers.get(99).exceptionally(e -> null).join();
        server.close();
        for (var answer : answers) {
            assertThat(answer.join().allowed()).isTrue();
        }
        assertThatThrownBy(() -> client.check(READ)).isInstanceOf(ConnectionClosedException.class)
                .satisfies(e -> assertThat(((GavelClientException) e).retryable()).isTrue());
        client.close();
    }

    /** A frame header that announces {@code length} bytes. */
    private static byte[] header(int length) {
        byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH];
        new MessageHeaderEncoder().wrap(new UnsafeBuffer(bytes), 0).frameLength(length).blockLength(9).templateId(2)
                .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
        return bytes;
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not hold within 30 s");
            }
            Thread.sleep(5);
        }
    }
}
