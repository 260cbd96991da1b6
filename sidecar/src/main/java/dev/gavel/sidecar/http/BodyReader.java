package dev.gavel.sidecar.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request's body into one array without blocking a thread: chunks are copied as they
 * arrive, and when none is ready the reader asks Jetty to call it again when one is. A body over
 * the limit is refused as soon as its declared length, or the bytes read, pass the limit. Public
 * for the gateways mounted on the HTTP API ({@link HttpApi#mount}).
 */
public final class BodyReader implements Runnable {

    /** What becomes of the body. */
    public interface Sink {
        /** The whole body: {@code length} bytes of {@code bytes}. */
        void body(byte[] bytes, int length);

        /** The body is over the limit; what was read of it is discarded. */
        void tooLarge(int limit);

        /** Reading failed (the client went away, or timed out). */
        void failed(Throwable failure);
    }

    private static final int FIRST_CAPACITY = 1024;

    private final Request request;
    private final int limit;
    private final Sink sink;
    private byte[] bytes;
    private int length;

    private BodyReader(Request request, int limit, Sink sink, long declared) {
        this.request = request;
        this.limit = limit;
        this.sink = sink;
        this.bytes = new byte[declared >= 0 ? (int) declared : FIRST_CAPACITY];
    }

    /** Reads the request's body, then hands it to the sink, on this thread or on the one that brings the last chunk. */
    public static void read(Request request, int limit, Sink sink) {
        long declared = request.getLength();
        if (declared > limit) {
            sink.tooLarge(limit);
            return;
        }
        new BodyReader(request, limit, sink, declared).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                sink.failed(chunk.getFailure());
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int size = buffer.remaining();
            if (size > limit - length) {
                chunk.release();
                sink.tooLarge(limit);
                return;
            }
            if (size > bytes.length - length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) bytes.length * 2, length + size)));
            }
            buffer.get(bytes, length, size);
            length += size;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                sink.body(bytes, length);
                return;
            }
        }
    }
}
