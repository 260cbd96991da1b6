package dev.gavel.sidecar.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Transport;

/** Jetty's HTTP client over the HTTP API's Unix socket, as a proxy on the same host reaches it. */
final class SocketClient implements AutoCloseable {

    /** A response: status, headers, body. */
    record Reply(int status, HttpFields headers, String body) {}

    private final HttpClient client = new HttpClient();
    private final Transport transport;

    SocketClient(Path socket) throws Exception {
        this.transport = new Transport.TCPUnix(socket);
        client.start();
    }

    /** Sends {@code method path} with these headers (a name may repeat) and a body, or none for null. */
    Reply send(String method, String path, List<Map.Entry<String, String>> headers, String body) throws Exception {
        Request request = client.newRequest("http://localhost" + path).method(method).transport(transport)
                .timeout(20, TimeUnit.SECONDS);
        request.headers(fields -> headers.forEach(header -> fields.add(header.getKey(), header.getValue())));
        if (body != null) {
            request.body(new BytesRequestContent("application/json", body.getBytes(StandardCharsets.UTF_8)));
        }
        ContentResponse response = request.send();
        return new Reply(response.getStatus(), response.getHeaders(), response.getContentAsString());
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP client", e);
        }
    }
}
