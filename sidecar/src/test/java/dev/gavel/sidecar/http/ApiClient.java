package dev.gavel.sidecar.http;

import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Transport;

/** Jetty's HTTP client over the API's Unix socket (its Unix-domain transport) or loopback TCP. */
final class ApiClient implements AutoCloseable {

    private static final JsonReader JSON = new JsonReader(16 << 20, 64);

    /** A response: status, headers, body. */
    record Reply(int status, HttpFields headers, String body) {
        JsonValue json() {
            try {
                return JSON.read(body);
            } catch (JsonSyntaxException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient client = new HttpClient();
    private final Transport transport;
    private final String base;

    private ApiClient(Transport transport, String base) {
        this.transport = transport;
        this.base = base;
        client.setMaxConnectionsPerDestination(4);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ApiClient unix(Path socket) {
        return new ApiClient(new Transport.TCPUnix(socket), "http://localhost");
    }

    static ApiClient tcp(int port) {
        return new ApiClient(null, "http://127.0.0.1:" + port);
    }

    Reply get(String path) {
        return send("GET", path, (byte[]) null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    Reply send(String method, String path, byte[] body) {
        Request request = client.newRequest(base + path).method(method).timeout(20, TimeUnit.SECONDS);
        if (transport != null) {
            request.transport(transport);
        }
        if (body != null) {
            request.body(new BytesRequestContent("application/json", body));
        }
        try {
            ContentResponse response = request.send();
            return new Reply(response.getStatus(), response.getHeaders(), response.getContentAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Sends raw bytes on a new connection to the socket and returns what the server answers before closing. */
    static String raw(Path socket, String request) {
        try (SocketChannel channel = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.connect(java.net.UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            channel.shutdownOutput();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (channel.read(buffer) >= 0 && buffer.hasRemaining()) {
                // Read until the server closes.
            }
            buffer.flip();
            return StandardCharsets.ISO_8859_1.decode(buffer).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
