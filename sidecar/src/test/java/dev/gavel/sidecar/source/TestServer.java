package dev.gavel.sidecar.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A static web server on loopback, as a CDN or object store would serve bundles: files by path,
 * a strong ETag from the content, 304 for a matching If-None-Match. It logs each request and can be
 * stopped and started again on the same port.
 */
final class TestServer implements AutoCloseable {

    /** One request: the path, its query, the If-None-Match sent, and the status answered. */
    record Request(String path, String query, String ifNoneMatch, int status) {}

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Whether answers carry an ETag (and honour If-None-Match). */
    volatile boolean etags = true;
    /** Whether bodies are sent chunked, with no Content-Length. */
    volatile boolean chunked;
    /** When set, bodies stop after their first bytes until it is counted down. */
    volatile CountDownLatch stall;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-server");
        thread.setDaemon(true);
        return thread;
    });
    private final int port;
    private HttpServer server;

    TestServer() {
        this(0);
    }

    private TestServer(int port) {
        server = bind(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            http.createContext("/", this::handle);
            http.setExecutor(executor);
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void put(String path, byte[] content) {
        files.put(path, content);
    }

    void remove(String path) {
        files.remove(path);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    int port() {
        return port;
    }

    /** How many times {@code path} was answered with {@code status}. */
    long count(String path, int status) {
        return requests.stream().filter(r -> r.path().equals(path) && r.status() == status).count();
    }

    void stop() {
        server.stop(0);
    }

    void start() {
        server = bind(port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        byte[] body = files.get(path);
        int status;
        if (body == null) {
            status = 404;
            exchange.sendResponseHeaders(status, -1);
        } else {
            String etag = "\"" + HexFormat.of().formatHex(DirectoryFiles.sha256().digest(body)).substring(0, 16) + "\"";
            if (etags) {
                exchange.getResponseHeaders().set("ETag", etag);
            }
            if (etags && etag.equals(ifNoneMatch)) {
                status = 304;
                exchange.sendResponseHeaders(status, -1);
            } else {
                status = 200;
                exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    CountDownLatch latch = stall;
                    if (latch != null) {
                        out.write(body, 0, Math.min(16, body.length));
                        out.flush();
                        try {
                            latch.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return;
                    }
                    out.write(body);
                }
            }
        }
        requests.add(new Request(path, exchange.getRequestURI().getRawQuery(), ifNoneMatch, status));
        exchange.close();
    }

    @Override
    public void close() {
        CountDownLatch latch = stall;
        if (latch != null) {
            latch.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
