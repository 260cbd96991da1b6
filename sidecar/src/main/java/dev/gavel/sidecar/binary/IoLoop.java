package dev.gavel.sidecar.binary;

import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One I/O thread: a selector over its share of the connections. It reads each connection's
 * frames, answers them on this thread (a check takes well under a microsecond, less than handing
 * it to another thread would), and writes the answers, so a connection's answers come back in
 * the order of its requests.
 *
 * <p>Memory per connection is bounded: a connection is read only while its unsent answers are
 * fewer than {@code maxAnswerBytes}, so a client that does not read stops being read (the kernel
 * then pushes back on its writes); and one whose answers make no progress for
 * {@code stallTimeout} is closed.
 *
 * <p>Draining answers the complete frames already received, sends SHUTTING_DOWN and closes each
 * connection once its answers are sent, or when the drain's deadline passes.
 */
final class IoLoop implements Runnable {

    private static final long SWEEP_NANOS = 250_000_000L;
    private static final long ALLOCATION_WINDOW_NANOS = 1_000_000_000L;
    private static final long SPIN_NANOS = 50_000L;

    private final int index;
    private final Selector selector;
    private final RequestHandler handler;
    private final BinaryLimits limits;
    private final ServerStats stats;
    private final AtomicInteger connectionCount;
    private final Queue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final Consumer<SelectionKey> onReady = this::ready;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger load = new AtomicInteger();
    private volatile long drainDeadline;
    private volatile boolean draining;
    private volatile boolean stopped;
    private boolean drainStarted;
    private long now;
    private long lastActive;
    private long lastSweep;
    private long windowStart;
    private long windowChecks;
    private long windowBytes;
    private long threadId;

    IoLoop(int index, RequestHandler handler, BinaryLimits limits, ServerStats stats, AtomicInteger connectionCount)
            throws IOException {
        this.index = index;
        this.selector = Selector.open();
        this.handler = handler;
        this.limits = limits;
        this.stats = stats;
        this.connectionCount = connectionCount;
    }

    /** Hands a new connection to this thread. */
    void adopt(SocketChannel channel) {
        load.incrementAndGet();
        incoming.add(channel);
        selector.wakeup();
    }

    /** Connections this thread serves or is about to. */
    int load() {
        return load.get();
    }

    /** Starts draining: answers what has arrived, then closes every connection by the deadline. */
    void drain(long deadlineNanos) {
        drainDeadline = deadlineNanos;
        draining = true;
        selector.wakeup();
    }

    /** Stops at once, closing every connection. */
    void stop() {
        stopped = true;
        selector.wakeup();
    }

    boolean awaitFinished(long timeoutNanos) throws InterruptedException {
        return finished.await(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        threadId = Thread.currentThread().getId();
        try {
            long selectMillis = Math.max(1, Math.min(250, limits.stallTimeout().toMillis() / 4));
            while (!stopped) {
                // selectNow clears a pending wakeup, so what adopt, drain and stop asked for is
                // checked again before blocking, or it would wait for the select's timeout.
                if (selector.selectNow(onReady) == 0 && !spin() && !pendingWork()) {
                    selector.select(onReady, selectMillis);
                }
                now = System.nanoTime();
                adoptIncoming();
                if (now - lastSweep > SWEEP_NANOS) {
                    sweep();
                }
                if (draining && drainStep()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // A failing selector leaves nothing to serve with: every connection is closed below.
        } finally {
            for (Connection connection : new ArrayList<>(connections)) {
                close(connection);
            }
            closeIncoming();
            try {
                selector.close();
            } catch (IOException ignored) {
                // Closing the selector releases its descriptors whatever it reports.
            }
            finished.countDown();
        }
    }

    /**
     * Polls for up to {@link #SPIN_NANOS} after the last request before blocking: waking a thread
     * blocked in the kernel costs tens of microseconds on a virtual machine, several times what
     * answering takes, and a client that waits for each answer sends its next request soon.
     * Returns whether anything became ready.
     */
    private boolean spin() throws IOException {
        long until = lastActive + SPIN_NANOS;
        while (System.nanoTime() - until < 0 && !pendingWork()) {
            if (selector.selectNow(onReady) > 0) {
                return true;
            }
            // Yielding rather than spinning in place: on a machine with more busy threads than
            // cores, the thread that would send the next request gets this core meanwhile.
            Thread.yield();
        }
        return false;
    }

    /** Whether a new connection, a drain or a stop waits for this thread. */
    private boolean pendingWork() {
        return !incoming.isEmpty() || stopped || (draining && !drainStarted);
    }

    private void adoptIncoming() {
        SocketChannel channel;
        while ((channel = incoming.poll()) != null) {
            Connection connection = new Connection(channel);
            try {
                channel.configureBlocking(false);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            } catch (IOException e) {
                connectionCount.decrementAndGet();
                load.decrementAndGet();
                closeQuietly(channel);
                continue;
            }
            connections.add(connection);
            handler.welcome(connection, now);
            if (draining) {
                handler.fail(connection, 0, ErrorCode.SHUTTING_DOWN, "the server is shutting down", now);
                connection.closing = true;
            }
            flush(connection);
        }
    }

    private void ready(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        now = System.nanoTime();
        lastActive = now;
        try {
            if (key.isReadable()) {
                read(connection);
            }
            if (key.isValid()) {
                flush(connection);
            }
        } catch (IOException | RuntimeException e) {
            close(connection);
        }
    }

    /** Reads what has arrived and answers every complete frame. */
    private void read(Connection connection) throws IOException {
        if (connection.closing || connection.paused) {
            return;
        }
        int read;
        do {
            int room = connection.inbound.remaining();
            read = connection.channel.read(connection.inbound);
            if (read < 0) {
                connection.inputEnded = true;
                break;
            }
            answerFrames(connection);
            if (read == 0 || read < room || connection.closing || connection.paused) {
                break;
            }
        } while (true);
        if (connection.inputEnded && !connection.closing) {
            answerFrames(connection);
            connection.closing = true;
        }
    }

    /** Answers the complete frames in the inbound buffer, until it has none or the connection may take no more. */
    private void answerFrames(Connection connection) {
        while (!connection.closing && !connection.paused) {
            int available = connection.inEnd() - connection.inStart;
            if (available < Integer.BYTES) {
                break;
            }
            long frameLength = header.wrap(connection.inView, connection.inStart).frameLength();
            if (frameLength < MessageHeaderDecoder.ENCODED_LENGTH) {
                handler.fail(connection, 0, ErrorCode.MALFORMED_FRAME, "a frame of " + frameLength + " bytes is shorter "
                        + "than its header", now);
                connection.closing = true;
                break;
            }
            if (frameLength > limits.maxFrameBytes()) {
                handler.fail(connection, 0, ErrorCode.FRAME_TOO_LARGE, "a frame of " + frameLength + " bytes; at most "
                        + limits.maxFrameBytes(), now);
                connection.closing = true;
                break;
            }
            int length = (int) frameLength;
            if (available < length) {
                connection.ensureRoom(length, limits.maxFrameBytes());
                break;
            }
            if (connection.unsent >= limits.maxInFlight() && !sendSome(connection)) {
                break;
            }
            connection.compactOutbound();
            frame.wrap(connection.inView, connection.inStart, length);
            if (!handler.handle(frame, connection, now)) {
                connection.closing = true;
            }
            connection.inStart += length;
            if (connection.pending() > limits.maxAnswerBytes()) {
                connection.paused = true;
            }
        }
        connection.consumed();
    }

    /**
     * Sends what it can before a request would be refused for the answers it has queued: they
     * may only be unsent because this burst has not been written yet. False if the connection failed.
     */
    private boolean sendSome(Connection connection) {
        try {
            connection.send(now);
            return true;
        } catch (IOException e) {
            connection.closing = true;
            return false;
        }
    }

    /** Sends what it can, and sets what the selector waits for on this connection. */
    private void flush(Connection connection) {
        try {
            connection.send(now);
            while (connection.paused && connection.pending() <= limits.maxAnswerBytes() / 2) {
                connection.paused = false;
                answerFrames(connection);
                connection.send(now);
            }
        } catch (IOException e) {
            close(connection);
            return;
        }
        if (connection.closing && connection.pending() == 0) {
            close(connection);
            return;
        }
        int interest = (connection.pending() > 0 ? SelectionKey.OP_WRITE : 0)
                | (connection.closing || connection.paused ? 0 : SelectionKey.OP_READ);
        if (connection.key.interestOps() != interest) {
            connection.key.interestOps(interest);
        }
    }

    /** Closes connections whose client has not read its answers for the stall timeout; measures allocation. */
    private void sweep() {
        lastSweep = now;
        long stallNanos = limits.stallTimeout().toNanos();
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection connection = connections.get(i);
            if (connection.pending() > 0 && now - connection.progressNanos > stallNanos) {
                stats.stalled.increment();
                close(connection);
            }
        }
        measureAllocation();
    }

    private void measureAllocation() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean counting)
                || !counting.isThreadAllocatedMemorySupported() || !counting.isThreadAllocatedMemoryEnabled()) {
            return;
        }
        long checks = handler.checks();
        long bytes = counting.getThreadAllocatedBytes(threadId);
        if (now - windowStart >= ALLOCATION_WINDOW_NANOS) {
            long windowChecksDone = checks - windowChecks;
            if (windowStart != 0 && windowChecksDone > 10_000) {
                stats.bytesPerCheck(index, (double) (bytes - windowBytes) / windowChecksDone);
            }
            windowStart = now;
            windowChecks = checks;
            windowBytes = bytes;
        }
    }

    /** One step of draining; true when nothing is left to drain. */
    private boolean drainStep() {
        if (!drainStarted) {
            drainStarted = true;
            for (Connection connection : new ArrayList<>(connections)) {
                try {
                    read(connection);
                } catch (IOException e) {
                    close(connection);
                    continue;
                }
                if (!connection.closing && connection.key.isValid()) {
                    handler.fail(connection, 0, ErrorCode.SHUTTING_DOWN, "the server is shutting down", now);
                    connection.closing = true;
                }
                if (connection.key.isValid()) {
                    flush(connection);
                }
            }
        }
        return connections.isEmpty() || now - drainDeadline > 0;
    }

    private void close(Connection connection) {
        if (connections.remove(connection)) {
            connectionCount.decrementAndGet();
            load.decrementAndGet();
        }
        if (connection.key != null) {
            connection.key.cancel();
        }
        closeQuietly(connection.channel);
    }

    private void closeIncoming() {
        SocketChannel channel;
        while ((channel = incoming.poll()) != null) {
            connectionCount.decrementAndGet();
            load.decrementAndGet();
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released whatever close reports.
        }
    }

}
