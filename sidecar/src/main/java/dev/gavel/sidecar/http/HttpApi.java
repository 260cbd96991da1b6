package dev.gavel.sidecar.http;

import dev.gavel.Engine;
import dev.gavel.sidecar.UnixSockets;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Gavel's HTTP API: JSON over HTTP/1.1 on a Unix socket, and optionally on a loopback TCP port,
 * served by Jetty 12's core handler API (no servlets).
 *
 * <pre>
 * POST /v1/authorize         one check                      GET /health         the process is up
 * POST /v1/authorize/batch   many checks, answers in order  GET /health/ready   200 once a snapshot is loaded, else 503
 * POST /v1/simulate          a case file, as gavel simulate GET /v1/status      versions, source, start time, counts
 * POST /v1/validate?type=T   a policy, as gavel validate    GET /metrics        Prometheus text format
 * POST /v1/reload            load the directory again       GET /v1/sample?count=N&amp;seed=S  requests for load tools
 * </pre>
 *
 * <p>A self-contained component of {@code gavel serve}: it holds no engine state of its own
 * beyond a cache of principal handles, and shares the engine, the metrics and the decision log
 * with the server's other front ends.
 *
 * <pre>{@code
 * HttpApi http = new HttpApi(HttpConfig.of(socket), engine, engine::reload,
 *         () -> Status.ready(directory.toString(), startedAt), metrics, decisionLog);
 * http.start();      // binds; refuses a socket a live server answers on
 * ...
 * http.stop();       // finishes requests in flight (up to 5 s), removes the socket file
 * }</pre>
 */
public final class HttpApi implements AutoCloseable {

    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 4;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final HttpConfig config;
    private final Metrics metrics;
    private final ApiHandler handler;
    private Server server;
    private ServerConnector tcpConnector;
    private Object socketKey;

    /**
     * @param reload loads the directory again and returns the new snapshot's version; throws
     *     {@link dev.gavel.directory.DirectoryException} with the problems when it does not load
     *     (answered 422 with every problem), {@link IllegalStateException} when there is nothing
     *     to reload from (409), anything else for another failure (422). The old snapshot keeps
     *     serving in every case.
     * @param status whether a snapshot is loaded, the directory's source, the start time
     * @param log the decision log, shared with the other front ends; {@link DecisionLog#off()} for none.
     *     Its owner closes it, after stopping every front end.
     */
    public HttpApi(HttpConfig config, Engine engine, Callable<Long> reload, Supplier<Status> status, Metrics metrics,
            DecisionLog log) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(engine, "engine");
        this.handler = new ApiHandler(config, engine, Objects.requireNonNull(reload, "reload"),
                Objects.requireNonNull(status, "status"), metrics, new Decider(engine, metrics,
                        Objects.requireNonNull(log, "log")));
        metrics.registerErrorCodes(Arrays.stream(ErrorCode.values()).map(ErrorCode::name).toList());
        metrics.setVersion(engine.version());
    }

    /**
     * Mounts a gateway at a path, before {@link #start()}: its handler answers every request to
     * exactly that path, whatever the method, in the gateway's own format (the STS query API
     * answers {@code /} in AWS's XML). It is called on the thread that read the request and must
     * not block; slow work goes to {@code request.getComponents().getExecutor()}. An exception it
     * throws is answered {@code INTERNAL_ERROR}.
     *
     * @throws IllegalArgumentException when an endpoint or another gateway already answers the path
     */
    public synchronized HttpApi mount(String path, Request.Handler gateway) {
        if (server != null) {
            throw new IllegalStateException("gateways are mounted before the HTTP API starts");
        }
        handler.mount(Objects.requireNonNull(path, "path"), Objects.requireNonNull(gateway, "gateway"));
        return this;
    }

    /**
     * Starts serving. A socket file left by a server that died is replaced; a socket a live
     * server answers on, or a file that is not a socket, is refused. The socket file has its
     * mode before any client can reach it.
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the HTTP API is already started");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("gavel-http");
        Server jetty = new Server(threads);
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Header values as the client sent them: the cache would otherwise hand back its own copy of
        // a known value that differs only in case ("charset=UTF-8" read as "charset=utf-8"), and a
        // SigV4 signature covers the exact bytes of the headers it signs.
        http.setHeaderCacheCaseSensitive(true);
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        Path directory = null;
        if (config.socket() != null) {
            UnixSockets.refuseIfTaken(config.socket().toAbsolutePath());
            directory = UnixSockets.privateDirectory(config.socket());
            UnixDomainServerConnector unix = new UnixDomainServerConnector(jetty, 1, 1, factory);
            unix.setUnixDomainPath(directory.resolve(UnixSockets.STAGED_NAME));
            jetty.addConnector(unix);
        }
        ServerConnector tcp = null;
        if (config.tcp() != null) {
            tcp = new ServerConnector(jetty, 1, 1, factory);
            tcp.setHost(config.tcp().getAddress().getHostAddress());
            tcp.setPort(config.tcp().getPort());
            jetty.addConnector(tcp);
        }
        jetty.setHandler(new GracefulHandler(handler));
        jetty.setErrorHandler(new ErrorResponder(metrics));
        try {
            jetty.start();
            if (directory != null) {
                socketKey = UnixSockets.publish(directory.resolve(UnixSockets.STAGED_NAME), config.socket(),
                        config.socketMode());
            }
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e instanceof IOException io ? io : new IOException("the HTTP API did not start: " + e.getMessage(), e);
        } finally {
            if (directory != null) {
                UnixSockets.deletePrivateDirectory(directory);
            }
        }
        server = jetty;
        tcpConnector = tcp;
    }

    /**
     * Stops serving: new connections are refused, requests in flight finish (for up to five
     * seconds), and the socket file is removed. Does not close the decision log.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("gavel: stopping the HTTP API: " + e);
        }
        if (socketKey != null) {
            UnixSockets.remove(config.socket(), socketKey);
            socketKey = null;
        }
        server = null;
        tcpConnector = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** The Unix socket served on, or null. */
    public Path socket() {
        return config.socket();
    }

    /** The TCP port served on (the one picked, for port 0), or -1 when not serving on TCP. */
    public synchronized int tcpPort() {
        return tcpConnector == null ? -1 : tcpConnector.getLocalPort();
    }

    public HttpConfig config() {
        return config;
    }
}
