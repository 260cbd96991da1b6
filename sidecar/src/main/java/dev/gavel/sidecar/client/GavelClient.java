package dev.gavel.sidecar.client;

import dev.gavel.sidecar.protocol.CheckRequestEncoder;
import dev.gavel.sidecar.protocol.CheckResponseDecoder;
import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.ErrorDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.SampleResponseDecoder;
import dev.gavel.sidecar.protocol.WelcomeDecoder;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection to {@code gavel serve}'s binary protocol: blocking calls, and asynchronous ones
 * with many requests in flight on the one connection. Thread-safe.
 *
 * <pre>{@code
 * try (GavelClient gavel = GavelClient.connect(Path.of("/run/gavel.sock"))) {
 *     CheckResult result = gavel.check(Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
 *             "arn:aws:s3:::example-payments-data/orders/1.csv").with("aws:SecureTransport", "true"));
 *     result.allowed();
 *     CompletableFuture<List<CheckResult>> many = gavel.checkBatchAsync(checks);
 * }
 * }</pre>
 *
 * <p><b>Reading.</b> Answers are matched to requests by id. Whoever waits reads: a thread blocked
 * in a call takes the read lock, if nobody holds it, and reads frames (completing anyone's
 * requests) until its own answer has come; then it hands the lock to another waiter. So a single
 * thread making blocking calls reads its answers itself, with no hand-off between threads (which
 * costs tens of microseconds on a busy machine). A daemon thread reads while asynchronous
 * requests are outstanding.
 *
 * <p><b>Limits.</b> The server's Welcome says how many requests may be unanswered at once: a
 * call waits for a free slot rather than be answered BUSY; a batch larger than the server takes,
 * or a frame longer, fails at once without being sent.
 *
 * <p><b>Failures.</b> A request the server refuses fails with {@link GavelClientException} and
 * its code; a lost connection fails every request in flight, and every later one, with
 * {@link ConnectionClosedException}. A closed client cannot be reopened: connect again.
 */
public final class GavelClient implements AutoCloseable {

    /** How long {@link #connect(Path)} waits for the server's Welcome. */
    public static final Duration DEFAULT_WELCOME_TIMEOUT = Duration.ofSeconds(5);

    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final long PARK_NANOS = 1_000_000;

    /** A request awaiting its answer. */
    private static final class Pending extends CompletableFuture<Object> {
        final boolean async;
        volatile Thread waiter;

        Pending(boolean async) {
            this.async = async;
        }
    }

    private final SocketChannel channel;
    private final ServerInfo server;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final AtomicInteger asyncOutstanding = new AtomicInteger();
    private final Queue<Pending> waiters = new ConcurrentLinkedQueue<>();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ClientCodec writeCodec = new ClientCodec();
    private final ExpandableDirectByteBuffer outbound = new ExpandableDirectByteBuffer(INITIAL_BUFFER);
    private final CheckRequestEncoder requestIdPatch = new CheckRequestEncoder();

    private final ReentrantLock readLock = new ReentrantLock();
    private final ClientCodec readCodec = new ClientCodec();
    private ByteBuffer inbound = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    private final UnsafeBuffer inView = new UnsafeBuffer(inbound);
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private int inStart;

    private final Thread reader;
    private volatile GavelClientException failure;

    private GavelClient(SocketChannel channel, AtomicBoolean settled) throws IOException {
        this.channel = channel;
        this.server = readWelcome();
        if (!settled.compareAndSet(false, true)) {
            throw new ClosedChannelException(); // The Welcome came as the timeout closed the channel.
        }
        this.slots = new Semaphore(server.maxInFlight());
        this.reader = new Thread(this::readWhileAsync, "gavel-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to a server's socket and reads its Welcome, waiting for it at most five seconds. */
    public static GavelClient connect(Path socket) throws IOException {
        return connect(socket, DEFAULT_WELCOME_TIMEOUT);
    }

    /**
     * Connects to a server's socket and reads its Welcome, waiting for it at most
     * {@code welcomeTimeout}: a socket that accepts and then says nothing, such as the HTTP API's,
     * is refused rather than waited on.
     */
    public static GavelClient connect(Path socket, Duration welcomeTimeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        AtomicBoolean settled = new AtomicBoolean();
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            CompletableFuture.delayedExecutor(welcomeTimeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (settled.compareAndSet(false, true)) {
                    closeQuietly(channel);
                }
            });
            return new GavelClient(channel, settled);
        } catch (ClosedChannelException e) {
            channel.close();
            throw new GavelClientException(null, "no Welcome from " + socket + " within " + welcomeTimeout.toMillis()
                    + " ms: is it the binary protocol's socket (gavel serve --socket), and not the HTTP API's?", e);
        } catch (IOException | RuntimeException e) {
            settled.set(true);
            channel.close();
            throw e;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing only fails on a channel that is already closed.
        }
    }

    /** The server's versions and limits, from its Welcome. */
    public ServerInfo server() {
        return server;
    }

    /** Decides one check; blocks until the answer comes. */
    public CheckResult check(Check check) throws IOException {
        return single(await(send(List.of(check), false, false)));
    }

    /** Decides one check and explains it: the answer carries the decisive statements. */
    public CheckResult explain(Check check) throws IOException {
        return single(await(send(List.of(check), true, false)));
    }

    /** Decides many checks in one request frame; the answers come in the checks' order. */
    public List<CheckResult> checkBatch(List<Check> checks) throws IOException {
        return results(await(send(checks, false, false)));
    }

    /** Sends one check without waiting; waits only while the connection has its most requests in flight. */
    public CompletableFuture<CheckResult> checkAsync(Check check) {
        return sendAsync(List.of(check), false).thenApply(answers -> answers.get(0));
    }

    /** Sends many checks in one request frame without waiting for the answers. */
    public CompletableFuture<List<CheckResult>> checkBatchAsync(List<Check> checks) {
        return sendAsync(checks, false);
    }

    /** As {@link #checkBatchAsync}, explaining every check. */
    public CompletableFuture<List<CheckResult>> explainBatchAsync(List<Check> checks) {
        return sendAsync(checks, true);
    }

    /**
     * Encodes checks once as a request to send many times with {@link #sendAsync(List)} or
     * {@link #send(PreparedRequest)}; fails as a send would when the server would refuse it.
     */
    public PreparedRequest prepare(List<Check> checks, boolean explain) throws GavelClientException {
        checkBatchSize(checks);
        ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        int length = new ClientCodec().encodeChecks(buffer, 0, checks, explain);
        checkFrameLength(length);
        byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return new PreparedRequest(frame, checks.size());
    }

    /** Sends a prepared request and waits for its answers. */
    public List<CheckResult> send(PreparedRequest request) throws IOException {
        return results(await(write(false, List.of(request)).get(0)));
    }

    /**
     * Sends prepared requests, each its own frame with its own id, in one write: pipelining
     * without a system call per request. Waits only while the connection has its most requests
     * in flight.
     */
    public List<CompletableFuture<List<CheckResult>>> sendAsync(List<PreparedRequest> requests) {
        List<CompletableFuture<List<CheckResult>>> answers = new ArrayList<>(requests.size());
        try {
            for (Pending pending : write(true, requests)) {
                answers.add(pending.thenApply(GavelClient::results));
            }
        } catch (GavelClientException e) {
            while (answers.size() < requests.size()) {
                answers.add(CompletableFuture.failedFuture(e));
            }
        }
        return answers;
    }

    /**
     * {@code count} realistic requests drawn from the server's directory (its users and role
     * sessions, the actions and resources their policies name), the same for the same seed and
     * directory: what {@code gavel load} sends. At most the server's maxBatch at once.
     */
    public List<Check> sample(int count, long seed) throws IOException {
        Pending request = sendSample(count, seed);
        @SuppressWarnings("unchecked")
        List<Check> checks = (List<Check>) await(request);
        return checks;
    }

    private CompletableFuture<List<CheckResult>> sendAsync(List<Check> checks, boolean explain) {
        try {
            return send(checks, explain, true).thenApply(GavelClient::results);
        } catch (GavelClientException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<CheckResult> results(Object answers) {
        return (List<CheckResult>) answers;
    }

    private static CheckResult single(Object answers) {
        return results(answers).get(0);
    }

    // ---- writing

    private Pending send(List<Check> checks, boolean explain, boolean async) throws GavelClientException {
        checkBatchSize(checks);
        return write(async, requestId -> writeCodec.encodeChecks(outbound, requestId, checks, explain));
    }

    private void checkBatchSize(List<Check> checks) throws GavelClientException {
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one check");
        }
        if (checks.size() > server.maxBatch()) {
            throw new GavelClientException(ErrorCode.BATCH_TOO_LARGE, checks.size() + " checks in one request; the "
                    + "server takes at most " + server.maxBatch());
        }
    }

    private void checkFrameLength(int length) throws GavelClientException {
        if (length > server.maxFrameBytes()) {
            throw new GavelClientException(ErrorCode.FRAME_TOO_LARGE, "the request takes " + length + " bytes; the "
                    + "server takes at most " + server.maxFrameBytes() + " in one frame");
        }
    }

    private Pending sendSample(int count, long seed) throws GavelClientException {
        if (count < 1 || count > server.maxBatch()) {
            throw new IllegalArgumentException("a sample of 1 to " + server.maxBatch() + " requests, not " + count);
        }
        return write(false, requestId -> writeCodec.encodeSample(outbound, requestId, count, seed));
    }

    /** Encodes a frame into the outbound buffer and returns its length. */
    private interface Encoding {
        int encode(long requestId);
    }

    private Pending write(boolean async, Encoding encoding) throws GavelClientException {
        failIfClosed();
        acquireSlot();
        Pending request = register(async);
        long requestId = requestIds.incrementAndGet();
        writeLock.lock();
        try {
            int length = encoding.encode(requestId);
            checkFrameLength(length);
            if (track(requestId, request)) {
                flush(length);
            }
        } catch (IOException e) {
            lost(e, request, requestId);
        } catch (RuntimeException e) {
            request.completeExceptionally(e);
            throw e;
        } finally {
            writeLock.unlock();
        }
        return request;
    }

    /** Writes prepared requests, each with a new id, in one write. */
    private List<Pending> write(boolean async, List<PreparedRequest> prepared) throws GavelClientException {
        failIfClosed();
        List<Pending> requests = new ArrayList<>(prepared.size());
        writeLock.lock();
        try {
            int length = 0;
            for (PreparedRequest each : prepared) {
                acquireSlot();
                Pending request = register(async);
                requests.add(request);
                long requestId = requestIds.incrementAndGet();
                outbound.putBytes(length, each.frame);
                requestIdPatch.wrap(outbound, length + MessageHeaderEncoder.ENCODED_LENGTH).requestId(requestId);
                length += each.frame.length;
                if (!track(requestId, request)) {
                    return requests;
                }
            }
            flush(length);
        } catch (IOException e) {
            for (Pending request : requests) {
                request.completeExceptionally(e instanceof GavelClientException refused ? refused
                        : new ConnectionClosedException(null, "the connection to the server failed: " + e.getMessage(),
                                e));
            }
            fail(new ConnectionClosedException(null, "the connection to the server failed: " + e.getMessage(), e));
        } finally {
            writeLock.unlock();
        }
        return requests;
    }

    private Pending register(boolean async) {
        Pending request = new Pending(async);
        if (async) {
            asyncOutstanding.getAndIncrement();
        }
        request.whenComplete((answer, error) -> finished(request));
        return request;
    }

    /** Registers a request as awaiting its answer; false (and fails it) when the connection has failed. */
    private boolean track(long requestId, Pending request) {
        pending.put(requestId, request);
        GavelClientException failed = failure;
        if (failed != null) {
            pending.remove(requestId);
            request.completeExceptionally(failed);
            return false;
        }
        if (request.async) {
            LockSupport.unpark(reader);
        }
        return true;
    }

    private void flush(int length) throws IOException {
        ByteBuffer bytes = outbound.byteBuffer();
        bytes.limit(length).position(0);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        bytes.clear();
    }

    private void lost(IOException e, Pending request, long requestId) throws GavelClientException {
        GavelClientException lost = e instanceof GavelClientException refused ? refused
                : new ConnectionClosedException(null, "the connection to the server failed: " + e.getMessage(), e);
        if (!pending.containsKey(requestId)) {
            request.completeExceptionally(lost);
            throw lost;
        }
        fail(lost);
    }

    private void acquireSlot() throws GavelClientException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GavelClientException(null, "interrupted while waiting for a free request slot", e);
        }
    }

    private void finished(Pending request) {
        slots.release();
        if (request.async) {
            asyncOutstanding.decrementAndGet();
        }
    }

    // ---- reading

    private ServerInfo readWelcome() throws IOException {
        readFrame();
        MessageHeaderDecoder header = readCodec.header(frame, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            throw new GavelClientException(ErrorCode.UNSUPPORTED_PROTOCOL, "the server speaks schema "
                    + header.schemaId() + ", not Gavel's protocol");
        }
        if (header.templateId() == ErrorDecoder.TEMPLATE_ID) {
            ClientCodec.Refusal refusal = readCodec.error(frame);
            throw new ConnectionClosedException(refusal.code(), refusal.message(), null);
        }
        if (header.templateId() != WelcomeDecoder.TEMPLATE_ID) {
            throw new GavelClientException(ErrorCode.UNSUPPORTED_PROTOCOL, "the server did not open with a Welcome");
        }
        return readCodec.welcome(frame);
    }

    /** Waits for a request's answer, reading frames meanwhile when no other thread does. */
    private Object await(Pending request) throws GavelClientException {
        while (!request.isDone()) {
            if (readLock.tryLock()) {
                try {
                    while (!request.isDone()) {
                        readAndDispatch();
                    }
                } catch (IOException e) {
                    fail(new ConnectionClosedException(null, "the connection to the server failed: " + e.getMessage(),
                            e));
                } finally {
                    readLock.unlock();
                    handOff();
                }
            } else {
                request.waiter = Thread.currentThread();
                waiters.add(request);
                if (!request.isDone() && readLock.isLocked()) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                waiters.remove(request);
            }
        }
        try {
            return request.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GavelClientException refused) {
                throw refused;
            }
            throw new GavelClientException(null, "the request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GavelClientException(null, "interrupted while waiting for the answer", e);
        }
    }

    /** Wakes a thread that waits for an answer, or the reader when asynchronous requests are outstanding. */
    private void handOff() {
        for (Pending waiting : waiters) {
            if (!waiting.isDone()) {
                LockSupport.unpark(waiting.waiter);
                return;
            }
        }
        if (asyncOutstanding.get() > 0) {
            LockSupport.unpark(reader);
        }
    }

    /** The daemon reader: reads while asynchronous requests are outstanding. */
    private void readWhileAsync() {
        while (failure == null) {
            if (asyncOutstanding.get() == 0) {
                LockSupport.parkNanos(this, 50 * PARK_NANOS);
                continue;
            }
            readLock.lock();
            try {
                while (failure == null && asyncOutstanding.get() > 0) {
                    readAndDispatch();
                }
            } catch (IOException e) {
                fail(new ConnectionClosedException(null, "the connection to the server failed: " + e.getMessage(), e));
            } finally {
                readLock.unlock();
                handOff();
            }
        }
    }

    /** Reads one frame and completes the request it answers. Called with the read lock held. */
    private void readAndDispatch() throws IOException {
        failIfClosed();
        readFrame();
        MessageHeaderDecoder header = readCodec.header(frame, 0);
        switch (header.templateId()) {
            case CheckResponseDecoder.TEMPLATE_ID -> {
                List<CheckResult> answers = new ArrayList<>();
                long requestId = readCodec.checkResponse(frame, answers);
                complete(requestId, answers);
            }
            case SampleResponseDecoder.TEMPLATE_ID -> {
                List<Check> checks = new ArrayList<>();
                long requestId = readCodec.sampleResponse(frame, checks);
                complete(requestId, checks);
            }
            case ErrorDecoder.TEMPLATE_ID -> {
                ClientCodec.Refusal refusal = readCodec.error(frame);
                if (refusal.requestId() == 0) {
                    fail(new ConnectionClosedException(refusal.code(), "the server closed the connection: "
                            + refusal.code() + ": " + refusal.message(), null));
                } else {
                    Pending request = pending.remove(refusal.requestId());
                    if (request != null) {
                        request.completeExceptionally(new GavelClientException(refusal.code(), refusal.code() + ": "
                                + refusal.message()));
                        wake(request);
                    }
                }
            }
            default -> {
                // A message of a newer protocol version that this client does not know: skipped.
            }
        }
    }

    private void complete(long requestId, Object answer) {
        Pending request = pending.remove(requestId);
        if (request != null) {
            request.complete(answer);
            wake(request);
        }
    }

    private static void wake(Pending request) {
        Thread waiter = request.waiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Reads until {@link #frame} holds one whole frame, and moves past it. */
    private void readFrame() throws IOException {
        if (inStart > 0 && inStart == inbound.position()) {
            inStart = 0;
            inbound.clear();
        }
        while (inbound.position() - inStart < Integer.BYTES) {
            fill(Integer.BYTES);
        }
        long length = readCodec.header(inView, inStart).frameLength();
        long most = Math.max(server == null ? 1 << 20 : server.maxAnswerBytes(), 1 << 20) * 2L;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || length > most) {
            throw new IOException("the server sent a frame of " + length + " bytes");
        }
        while (inbound.position() - inStart < length) {
            fill((int) length);
        }
        frame.wrap(inView, inStart, (int) length);
        inStart += (int) length;
    }

    /** Reads more bytes, first making room for a frame of {@code length} bytes from {@code inStart}. */
    private void fill(int length) throws IOException {
        if (inStart + length > inbound.capacity()) {
            int filled = inbound.position() - inStart;
            ByteBuffer target = length <= inbound.capacity() ? inbound
                    : ByteBuffer.allocateDirect(Math.max(length, inbound.capacity() * 2));
            UnsafeBuffer targetView = target == inbound ? inView : new UnsafeBuffer(target);
            targetView.putBytes(0, inView, inStart, filled);
            if (target != inbound) {
                inbound = target;
                inView.wrap(target);
            }
            inStart = 0;
            inbound.limit(inbound.capacity()).position(filled);
        }
        if (channel.read(inbound) < 0) {
            throw new IOException("the server closed the connection");
        }
    }

    // ---- closing

    private void failIfClosed() throws GavelClientException {
        GavelClientException failed = failure;
        if (failed != null) {
            throw new ConnectionClosedException(failed.code(), failed.getMessage(), failed);
        }
    }

    /** Fails every request in flight and every later one; closes the connection. */
    private void fail(GavelClientException cause) {
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released whatever close reports.
        }
        for (Long requestId : pending.keySet()) {
            Pending request = pending.remove(requestId);
            if (request != null) {
                request.completeExceptionally(failure);
                wake(request);
            }
        }
        LockSupport.unpark(reader);
    }

    /** Whether requests can still be sent. */
    public boolean isOpen() {
        return failure == null;
    }

    /** Closes the connection; requests in flight fail with {@link ConnectionClosedException}. */
    @Override
    public void close() {
        fail(new ConnectionClosedException(null, "the client was closed", null));
        try {
            reader.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
