package dev.gavel.sidecar.binary;

import dev.gavel.Engine;
import dev.gavel.sidecar.Listener;
import dev.gavel.sidecar.UnixSockets;
import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.ErrorEncoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The binary protocol on a Unix domain socket: an accepting thread and {@code ioThreads} I/O
 * threads ({@link IoLoop}), each answering its connections' requests itself.
 *
 * <p>A connection past {@code maxConnections} is sent TOO_MANY_CONNECTIONS and closed. Draining
 * closes the listening socket (and deletes its file), then lets each I/O thread answer what it has
 * received and close its connections.
 */
public final class BinaryListener implements Listener {

    private final Engine engine;
    private final Path path;
    private final Set<PosixFilePermission> mode;
    private final BinaryLimits limits;
    private final String serverVersion;
    private final ServerStats stats;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private UnixSockets.Bound bound;
    private Thread acceptor;
    private volatile boolean accepting;

    public BinaryListener(Engine engine, Path path, Set<PosixFilePermission> mode, BinaryLimits limits,
            String serverVersion) {
        this.engine = engine;
        this.path = path;
        this.mode = mode;
        this.limits = limits;
        this.serverVersion = serverVersion;
        this.stats = new ServerStats(limits.ioThreads());
    }

    @Override
    public String describe() {
        return "binary protocol on " + path + " (mode " + PosixFilePermissions.toString(mode) + ")";
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    public ServerStats stats() {
        return stats;
    }

    /** Connections open now. */
    public int connections() {
        return connections.get();
    }

    @Override
    public synchronized void start() throws IOException {
        if (bound != null) {
            throw new IllegalStateException("already started");
        }
        bound = UnixSockets.bind(path, mode, Math.min(limits.maxConnections(), 1024));
        PrincipalCache principals = new PrincipalCache(engine, limits.principalCacheSize());
        try {
            for (int i = 0; i < limits.ioThreads(); i++) {
                IoLoop loop = new IoLoop(i, new RequestHandler(engine, principals, limits, stats, serverVersion), limits,
                        stats, connections);
                loops.add(loop);
            }
        } catch (IOException e) {
            bound.closeAndDelete();
            throw e;
        }
        for (int i = 0; i < loops.size(); i++) {
            Thread thread = new Thread(loops.get(i), "gavel-io-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        accepting = true;
        acceptor = new Thread(this::accept, "gavel-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        ErrorEncoder refusal = new ErrorEncoder();
        MessageHeaderEncoder header = new MessageHeaderEncoder();
        ByteBuffer refusalBytes = ByteBuffer.allocateDirect(256);
        UnsafeBuffer refusalView = new UnsafeBuffer(refusalBytes);
        while (accepting) {
            SocketChannel channel;
            try {
                channel = bound.channel().accept();
            } catch (IOException e) {
                break;
            }
            if (connections.incrementAndGet() > limits.maxConnections()) {
                connections.decrementAndGet();
                stats.refused.increment();
                stats.error(ErrorCode.TOO_MANY_CONNECTIONS);
                refusal.wrapAndApplyHeader(refusalView, 0, header).requestId(0).code(ErrorCode.TOO_MANY_CONNECTIONS)
                        .message("the server holds its most connections (" + limits.maxConnections() + "); try again "
                                + "later");
                header.frameLength(refusal.limit());
                refuse(channel, refusalBytes, refusal.limit());
                continue;
            }
            stats.accepted.increment();
            leastLoaded().adopt(channel);
        }
    }

    /** The first I/O thread with the fewest connections. */
    private IoLoop leastLoaded() {
        IoLoop best = loops.get(0);
        for (IoLoop loop : loops) {
            if (loop.load() < best.load()) {
                best = loop;
            }
        }
        return best;
    }

    /** Tells a connection it is refused, without waiting on it: a fresh socket's buffer takes the frame at once. */
    private static void refuse(SocketChannel channel, ByteBuffer frame, int length) {
        try (channel) {
            channel.configureBlocking(false);
            frame.limit(length).position(0);
            channel.write(frame);
        } catch (IOException ignored) {
            // The client left already.
        } finally {
            frame.clear();
        }
    }

    @Override
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopAccepting();
        for (IoLoop loop : loops) {
            loop.drain(deadline);
        }
        try {
            for (IoLoop loop : loops) {
                loop.awaitFinished(Math.max(0, deadline - System.nanoTime()) + 100_000_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        stopAccepting();
        for (IoLoop loop : loops) {
            loop.stop();
        }
        try {
            for (Thread thread : threads) {
                thread.join(1_000);
            }
            if (acceptor != null) {
                acceptor.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stopAccepting() {
        accepting = false;
        if (bound != null) {
            bound.closeAndDelete();
        }
    }
}
