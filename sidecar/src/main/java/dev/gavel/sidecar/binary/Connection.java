package dev.gavel.sidecar.binary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One client's connection, owned by one I/O thread: bytes read and not yet decoded, answers
 * encoded and not yet sent.
 *
 * <pre>
 *   inbound   [0 ....... inStart ......... inEnd ....... capacity)
 *                        next frame         read up to here     grows up to maxFrameBytes
 *   outbound  [0 ....... outStart ........ outEnd ......)
 *                        next byte to send  next answer goes here
 * </pre>
 */
final class Connection {

    private static final int INITIAL_BUFFER = 16 * 1024;
    /** Room kept free behind a partly read frame, so that the next read can complete its header. */
    private static final int MIN_ROOM = 4 * 1024;

    final SocketChannel channel;
    SelectionKey key;
    /**
     * On the heap, though a socket read then copies through a cached direct buffer: comparing its
     * strings with those already seen is a vectorised array comparison, which paid for the copy
     * many times over (see {@link ByteTable}).
     */
    ByteBuffer inbound = ByteBuffer.allocate(INITIAL_BUFFER);
    final UnsafeBuffer inView = new UnsafeBuffer(inbound);
    int inStart;
    final ExpandableDirectByteBuffer outbound = new ExpandableDirectByteBuffer(INITIAL_BUFFER);
    int outStart;
    int outEnd;
    /** Requests answered since the outbound buffer was last empty: an upper bound of those the client still awaits. */
    int unsent;
    /** When bytes were last sent, or answers first waited to be. */
    long progressNanos;
    /** No more requests are read; the connection closes once its answers are sent. */
    boolean closing;
    /** Reading stops while too many answers wait to be sent. */
    boolean paused;
    boolean inputEnded;

    Connection(SocketChannel channel) {
        this.channel = channel;
    }

    int inEnd() {
        return inbound.position();
    }

    /** Bytes waiting to be sent. */
    int pending() {
        return outEnd - outStart;
    }

    /** Where the next answer is encoded. */
    MutableDirectBuffer out() {
        return outbound;
    }

    /** Records an answer encoded up to {@code end}. */
    void appended(int end, long nowNanos) {
        if (outEnd == outStart) {
            progressNanos = nowNanos;
        }
        outEnd = end;
        unsent++;
    }

    /** Moves unsent bytes to the front when that frees at least half the buffer without overlapping. */
    void compactOutbound() {
        int pending = pending();
        if (outStart > 0 && pending <= outStart && outStart >= outbound.capacity() / 2) {
            outbound.putBytes(0, outbound, outStart, pending);
            outStart = 0;
            outEnd = pending;
        }
    }

    /** Makes room for a frame of {@code frameLength} bytes starting at {@code inStart}, moving or growing the buffer. */
    void ensureRoom(int frameLength, int maxFrameBytes) {
        int filled = inEnd() - inStart;
        if (inStart + frameLength <= inbound.capacity()) {
            return;
        }
        ByteBuffer target = frameLength <= inbound.capacity() ? inbound
                : ByteBuffer.allocate(Math.max(frameLength, Math.min(inbound.capacity() * 2, maxFrameBytes)));
        if (target == inbound) {
            inView.putBytes(0, inView, inStart, filled);
        } else {
            UnsafeBuffer targetView = new UnsafeBuffer(target);
            targetView.putBytes(0, inView, inStart, filled);
            inbound = target;
            inView.wrap(target);
        }
        inStart = 0;
        inbound.limit(inbound.capacity()).position(filled);
    }

    /**
     * Forgets decoded bytes: the buffer starts over when all were decoded, and the bytes of a
     * frame begun move to the front when little room is left behind them.
     */
    void consumed() {
        int filled = inEnd() - inStart;
        if (filled == 0) {
            inStart = 0;
            inbound.clear();
        } else if (inStart > 0 && inbound.capacity() - inEnd() < MIN_ROOM) {
            inView.putBytes(0, inView, inStart, filled);
            inStart = 0;
            inbound.limit(inbound.capacity()).position(filled);
        }
    }

    /** Sends what it can without blocking; returns the bytes sent. */
    int send(long nowNanos) throws IOException {
        if (outEnd == outStart) {
            return 0;
        }
        ByteBuffer bytes = outbound.byteBuffer();
        bytes.limit(outEnd).position(outStart);
        int sent = channel.write(bytes);
        bytes.clear();
        if (sent > 0) {
            outStart += sent;
            progressNanos = nowNanos;
        }
        if (outStart == outEnd) {
            outStart = 0;
            outEnd = 0;
            unsent = 0;
        }
        return sent;
    }
}
