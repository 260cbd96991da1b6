package dev.gavel.sidecar.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An S3-like backend on loopback that records every request reaching it, answers a GET with a
 * small object whose {@code x-amz-meta-principal} echoes the {@code x-gavel-principal} it was
 * given, and a PUT with the body's MD5 as ETag.
 */
final class RecordingBackend implements AutoCloseable {

    /** A request as the backend received it; header names in lower case. */
    record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    RecordingBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests received so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests received for this URI (path and query). */
    List<Received> receivedFor(String uri) {
        return received.stream().filter(request -> request.uri().equals(uri)).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                headers, body));
        String principal = exchange.getRequestHeaders().getFirst("x-gavel-principal");
        byte[] answer = exchange.getRequestMethod().equals("GET")
                ? ("object at " + exchange.getRequestURI().getRawPath()).getBytes(StandardCharsets.UTF_8) : new byte[0];
        exchange.getResponseHeaders().add("ETag", "\"" + md5Hex(exchange.getRequestMethod().equals("PUT") ? body : answer)
                + "\"");
        exchange.getResponseHeaders().add("x-amz-meta-principal", principal == null ? "none" : principal);
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
