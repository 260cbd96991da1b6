package dev.gavel.sidecar.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal HTTP/1.1 client connection on a Unix socket, for load generators and benchmarks,
 * whose client must cost little beside the server it measures. Requests are prepared once as
 * bytes ({@link #get}, {@link #post}) and written as they are; responses are read in order with
 * Content-Length framing, so several requests may be written before their answers are read
 * (HTTP/1.1 pipelining). The connection is kept alive. It is not a general client: no chunked
 * bodies, no redirects, no TLS.
 *
 * <pre>{@code
 * try (HttpChannel http = HttpChannel.open(Path.of("/run/gavel/http.sock"))) {
 *     byte[] request = HttpChannel.post("/v1/authorize", json);
 *     HttpChannel.Response answer = http.exchange(request);
 *     answer.status();   // 200
 * }
 * }</pre>
 *
 * <p>Not thread-safe, except that one thread may write while another reads.
 */
public final class HttpChannel implements AutoCloseable {

    /** A response: its status and its body. */
    public record Response(int status, byte[] body) {

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int FIRST_CAPACITY = 64 * 1024;
    private static final int MAX_BODY = 256 << 20;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final SocketChannel channel;
    private byte[] in = new byte[FIRST_CAPACITY];
    private ByteBuffer inView = ByteBuffer.wrap(in);
    /** The unread bytes are {@code in[start, end)}. */
    private int start;
    private int end;
    private ByteBuffer out = ByteBuffer.allocateDirect(FIRST_CAPACITY);

    private HttpChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to an HTTP server's Unix socket. */
    public static HttpChannel open(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
        return new HttpChannel(channel);
    }

    /** A GET request's bytes. */
    public static byte[] get(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: gavel\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A POST request's bytes, with a JSON body. */
    public static byte[] post(String target, byte[] json) {
        byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: gavel\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + json.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        return request;
    }

    /** Writes a request and reads its response. */
    public Response exchange(byte[] request) throws IOException {
        write(request);
        return read();
    }

    /** Writes a request whole. */
    public void write(byte[] request) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(request);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Writes requests one after the other in one write, as a pipeline. */
    public void write(List<byte[]> requests) throws IOException {
        int length = 0;
        for (byte[] request : requests) {
            length += request.length;
        }
        if (out.capacity() < length) {
            out = ByteBuffer.allocateDirect(Math.max(length, out.capacity() * 2));
        }
        out.clear();
        for (byte[] request : requests) {
            out.put(request);
        }
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Reads the next response, waiting for it. */
    public Response read() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        }
        int scanned = 0;
        int headLength;
        while ((headLength = headLength(scanned)) < 0) {
            scanned = Math.max(0, end - start - HEAD_END.length + 1);
            fill();
        }
        int status = status();
        int bodyLength = contentLength(headLength, status);
        while (end - start < headLength + bodyLength) {
            fill();
        }
        byte[] body = Arrays.copyOfRange(in, start + headLength, start + headLength + bodyLength);
        start += headLength + bodyLength;
        return new Response(status, body);
    }

    /** The length of the response's head, up to and with its blank line, or -1 when not all read. */
    private int headLength(int from) {
        for (int i = start + from; i + HEAD_END.length <= end; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\r' && in[i + 3] == '\n') {
                return i + HEAD_END.length - start;
            }
        }
        return -1;
    }

    /** The status of the response that starts at {@code start}: {@code HTTP/1.1 200 OK}. */
    private int status() throws IOException {
        if (!matches(start, "HTTP/1.") || in[start + 8] != ' ' || !digit(start + 9) || !digit(start + 10)
                || !digit(start + 11)) {
            String seen = new String(in, start, Math.min(16, end - start), StandardCharsets.ISO_8859_1);
            throw new IOException("the server's answer is not HTTP/1.x: it begins \"" + printable(seen) + "\"");
        }
        return (in[start + 9] - '0') * 100 + (in[start + 10] - '0') * 10 + (in[start + 11] - '0');
    }

    /** The Content-Length of the response whose head is {@code in[start, start + headLength)}. */
    private int contentLength(int headLength, int status) throws IOException {
        int headEnd = start + headLength;
        for (int line = lineAfter(start, headEnd); line < headEnd - 2; line = lineAfter(line, headEnd)) {
            if (matches(line, "content-length:")) {
                long length = 0;
                int i = line + "content-length:".length();
                while (in[i] == ' ' || in[i] == '\t') {
                    i++;
                }
                for (; digit(i); i++) {
                    length = length * 10 + in[i] - '0';
                    if (length > MAX_BODY) {
                        throw new IOException("a response body over " + MAX_BODY + " bytes");
                    }
                }
                return (int) length;
            }
            if (matches(line, "transfer-encoding:")) {
                throw new IOException("a response with Transfer-Encoding, which this client does not read");
            }
        }
        if (status == 204 || status == 304 || status / 100 == 1) {
            return 0;
        }
        throw new IOException("a response without Content-Length (status " + status + ")");
    }

    /** Where the line after the one at {@code from} begins. */
    private int lineAfter(int from, int limit) {
        int i = from;
        while (i < limit && in[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    /** Whether the bytes at {@code at} are this ASCII text, ignoring case. */
    private boolean matches(int at, String text) {
        if (end - at < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            int b = in[at + i];
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != Character.toLowerCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean digit(int at) {
        return at < end && in[at] >= '0' && in[at] <= '9';
    }

    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return shown.toString();
    }

    /** Reads more bytes, first making room: moving the unread ones to the front, or growing. */
    private void fill() throws IOException {
        if (end == in.length) {
            if (start > 0) {
                System.arraycopy(in, start, in, 0, end - start);
                end -= start;
                start = 0;
            } else {
                in = Arrays.copyOf(in, in.length * 2);
                inView = ByteBuffer.wrap(in);
            }
        }
        inView.limit(in.length).position(end);
        int read = channel.read(inView);
        if (read < 0) {
            throw new EOFException("the server closed the connection");
        }
        end += read;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket; nothing to do about a failure.
        }
    }
}
