package dev.gavel.sidecar;

import dev.gavel.cli.DurationConverter;
import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayOptions;
import dev.gavel.gateway.RequestMapper;
import dev.gavel.gateway.RouteTable;
import dev.gavel.gateway.RouteTableException;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.sidecar.binary.BinaryLimits;
import dev.gavel.sidecar.binary.BinaryListener;
import dev.gavel.sidecar.binary.BinaryMetrics;
import dev.gavel.sidecar.binary.ServerStats;
import dev.gavel.sidecar.envoy.ExtAuthzConfig;
import dev.gavel.sidecar.envoy.ExtAuthzServer;
import dev.gavel.sidecar.gateway.NginxAuthRequest;
import dev.gavel.sidecar.gateway.OpaDataApi;
import dev.gavel.sidecar.http.HttpApi;
import dev.gavel.sidecar.http.HttpConfig;
import dev.gavel.sidecar.http.HttpListener;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import dev.gavel.sidecar.source.SourceException;
import dev.gavel.sidecar.source.SourceOptions;
import dev.gavel.sidecar.sts.StsQueryApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gavel serve}: one engine behind the sidecar's listeners until SIGTERM. The engine's
 * directory comes from {@link SourceOptions} and is kept current by {@link ServedDirectory}; each
 * listener comes from its own options ({@link #listeners}), so that a new way in is one option
 * group and a few lines there.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Answer checks for other processes over Unix sockets.",
            "",
            "Loads the directory (a folder, or a bundle URL), binds the sockets (mode",
            "--socket-mode, set before anyone can connect; a stale socket file is replaced, a",
            "live one refused), prints one line when ready, and serves until SIGTERM or",
            "SIGINT, when it stops accepting, answers the requests it has received and exits.",
            "The folder or bundle is checked for new versions; one that fails is reported",
            "and the old snapshot keeps serving. docs/protocol.md describes the binary",
            "protocol; README.md the HTTP API.",
            ""
        })
public final class ServeCommand implements Callable<Integer> {

    /** The binary protocol's socket and limits. */
    static final class BinaryOptions {
        @Option(names = "--socket", paramLabel = "PATH",
                description = "Serve the binary protocol on this Unix socket (keep the path under about 100 bytes).")
        Path socket;

        @Option(names = "--max-connections", paramLabel = "N",
                description = "Connections served at once (default: " + BinaryLimits.DEFAULT_MAX_CONNECTIONS + ").")
        int maxConnections = BinaryLimits.DEFAULT_MAX_CONNECTIONS;

        @Option(names = "--max-frame-bytes", paramLabel = "BYTES",
                description = "Longest request frame (default: " + BinaryLimits.DEFAULT_MAX_FRAME_BYTES + ").")
        int maxFrameBytes = BinaryLimits.DEFAULT_MAX_FRAME_BYTES;

        @Option(names = "--max-batch", paramLabel = "N",
                description = "Most checks in one request (default: " + BinaryLimits.DEFAULT_MAX_BATCH + ").")
        int maxBatch = BinaryLimits.DEFAULT_MAX_BATCH;

        @Option(names = "--max-in-flight", paramLabel = "N",
                description = "Most unread answers per connection before requests are answered BUSY (default: "
                        + BinaryLimits.DEFAULT_MAX_IN_FLIGHT + ").")
        int maxInFlight = BinaryLimits.DEFAULT_MAX_IN_FLIGHT;

        @Option(names = "--max-answer-bytes", paramLabel = "BYTES",
                description = "Unsent answers past which a connection is not read, and the longest answer (default: "
                        + BinaryLimits.DEFAULT_MAX_ANSWER_BYTES + ").")
        int maxAnswerBytes = BinaryLimits.DEFAULT_MAX_ANSWER_BYTES;

        @Option(names = "--stall-timeout", paramLabel = "TIME", converter = DurationConverter.class,
                description = "Drop a client that reads none of its answers for this long (default: 10s).")
        Duration stallTimeout = BinaryLimits.DEFAULT_STALL_TIMEOUT;

        @Option(names = "--io-threads", paramLabel = "N",
                description = "Threads that read, decide and write (default: the cores, at most 4; here "
                        + "${DEFAULT-VALUE}).")
        int ioThreads = BinaryLimits.DEFAULT_IO_THREADS;

        @Option(names = "--principal-cache", paramLabel = "N",
                description = "Prepared principals kept, by ARN or credentials (default: "
                        + BinaryLimits.DEFAULT_PRINCIPAL_CACHE_SIZE + ").")
        int principalCache = BinaryLimits.DEFAULT_PRINCIPAL_CACHE_SIZE;

        BinaryLimits limits() {
            return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout,
                    ioThreads, principalCache);
        }
    }

    /** The HTTP API's sockets and its decision log. */
    static final class HttpOptions {
        @Option(names = "--http-socket", paramLabel = "PATH",
                description = "Serve the HTTP API (JSON) on this Unix socket.")
        Path socket;

        @Option(names = "--http", paramLabel = "HOST:PORT",
                description = "Serve the HTTP API on this loopback address too: 127.0.0.1:PORT or [::1]:PORT "
                        + "(port 0 picks a free one). The API has no authentication, so no other address is taken.")
        String tcp;

        @Option(names = "--decision-log", paramLabel = "FILE",
                description = "Append a JSON line for each decision the HTTP API makes to FILE (mode 0600; "
                        + "bounded and asynchronous: entries beyond the queue are dropped and counted).")
        Path decisionLog;

        @Option(names = "--sts",
                description = "Answer AWS STS's query API at / on the HTTP API (AssumeRole, AssumeRoleWithWebIdentity, "
                        + "AssumeRoleWithSAML, GetSessionToken, GetCallerIdentity), for AWS SDKs and the AWS CLI "
                        + "with an endpoint override: sessions from the directory's access keys, identity providers "
                        + "and session keys.")
        boolean sts;

        @Option(names = "--service-catalog", paramLabel = "FILE",
                description = "The service catalog for /v1/validate's warnings (default: $GAVEL_SERVICE_CATALOG, "
                        + "or ../shared/corpus/service-catalog.json.gz when present).")
        Path catalog;

        boolean any() {
            return socket != null || tcp != null;
        }
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private SourceOptions source;

    @ArgGroup(exclusive = false, heading = "Binary protocol:%n")
    private BinaryOptions binary = new BinaryOptions();

    @ArgGroup(exclusive = false, heading = "HTTP API:%n")
    private HttpOptions http = new HttpOptions();

    @ArgGroup(exclusive = false, heading = "Gateways:%n")
    private GatewayServeOptions gateways = new GatewayServeOptions();

    @Option(names = "--socket-mode", paramLabel = "MODE", defaultValue = "0600",
            description = "File mode of the sockets, in octal (default: ${DEFAULT-VALUE}: this user only).")
    private String socketMode;

    @Option(names = "--drain-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
            description = "On SIGTERM, how long to wait for requests in flight (default: ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<PosixFilePermission> mode = parseMode();
        if (http != null && http.sts && !http.any()) {
            throw new ParameterException(spec.commandLine(),
                    "--sts answers on the HTTP API: give --http 127.0.0.1:PORT (AWS clients need a TCP endpoint)");
        }
        if (gateways != null && gateways.httpGateways && (http == null || !http.any())) {
            throw new ParameterException(spec.commandLine(),
                    "--gateway answers on the HTTP API: give --http-socket PATH or --http 127.0.0.1:PORT");
        }
        if ((binary == null || binary.socket == null) && (http == null || !http.any())
                && (gateways == null || !gateways.envoy())) {
            throw new ParameterException(spec.commandLine(), "nothing to serve on: give --socket PATH, --http-socket "
                    + "PATH, --http HOST:PORT, --envoy-socket PATH or --envoy HOST:PORT");
        }
        RequestMapper mapper = null;
        if (gateways != null && gateways.any()) {
            try {
                mapper = gateways.mapper();
            } catch (IOException | RouteTableException | IllegalArgumentException e) {
                err.println("gavel serve: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        Metrics metrics = new Metrics();
        ServedDirectory served;
        try {
            served = ServedDirectory.load(source.open(), metrics, err);
        } catch (SourceException e) {
            err.println("gavel serve: " + e.report());
            err.flush();
            return 2;
        }
        Sidecar sidecar = new Sidecar(served.engine());
        DecisionLog decisionLog = DecisionLog.off();
        try {
            decisionLog = openDecisionLog(metrics);
            listeners(sidecar, served, mode, metrics, decisionLog, mapper);
            sidecar.start();
        } catch (IOException e) {
            err.println("gavel serve: " + e.getMessage());
            err.flush();
            decisionLog.close();
            served.close();
            return 2;
        }
        served.start();
        DecisionLog openedLog = decisionLog;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            served.close();
            sidecar.shutdown(drainTimeout);
            openedLog.close();
            out.println("gavel serve: stopped; " + summary(sidecar, metrics));
            out.flush();
        }, "gavel-shutdown"));
        StringBuilder ready = new StringBuilder("gavel serve: ready; ");
        for (Listener listener : sidecar.listeners()) {
            ready.append(listener.describe()).append("; ");
        }
        if (http != null && http.sts) {
            ready.append("STS query API at ").append(StsQueryApi.PATH).append(" on the HTTP API; ");
        }
        if (gateways != null && gateways.httpGateways) {
            ready.append("NGINX auth_request at ").append(NginxAuthRequest.PATH).append(" and OPA's data API at ")
                    .append(OpaDataApi.PACKAGE_PATH).append(" on the HTTP API; ");
        }
        if (mapper instanceof RouteTable table) {
            ready.append("gateways map requests with ").append(gateways.routes).append(" (").append(table.size())
                    .append(table.size() == 1 ? " route); " : " routes); ");
        } else if (mapper != null) {
            ready.append("gateways map the S3 REST API; ");
        }
        ready.append(served.source().description()).append(" (").append(served.source().contentVersion())
                .append("), snapshot ").append(served.engine().version());
        out.println(ready);
        out.flush();
        sidecar.awaitShutdown();
        return 0;
    }

    /** Adds a listener for each way in that the options ask for. */
    private void listeners(Sidecar sidecar, ServedDirectory served, Set<PosixFilePermission> mode, Metrics metrics,
            DecisionLog decisionLog, RequestMapper mapper) throws IOException {
        GatewayRecorder recorder = mapper == null ? null : new GatewayRecorder(metrics, decisionLog);
        GatewayOptions gatewayOptions = null;
        if (mapper != null) {
            try {
                gatewayOptions = gateways.options();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (gateways != null && gateways.envoy()) {
            ExtAuthzConfig config;
            try {
                config = new ExtAuthzConfig(gateways.envoySocket, mode,
                        gateways.envoyTcp == null ? null : HttpConfig.parseTcp(gateways.envoyTcp),
                        gateways.envoyMaxMessageBytes);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--envoy: " + e.getMessage());
            }
            sidecar.add(new ExtAuthzServer(config, new Gateway(served.engine(), mapper, gatewayOptions,
                    recorder.observer("envoy"))));
        }
        if (binary != null && binary.socket != null) {
            BinaryListener listener = new BinaryListener(served.engine(), binary.socket, mode, binary.limits(),
                    serverVersion());
            BinaryMetrics.register(listener, metrics.registry());
            sidecar.add(listener);
        }
        if (http != null && http.any()) {
            InetSocketAddress tcp;
            HttpConfig config;
            try {
                tcp = http.tcp == null ? null : HttpConfig.parseTcp(http.tcp);
                config = new HttpConfig(http.socket, mode, tcp, HttpConfig.DEFAULT_MAX_BODY_BYTES,
                        HttpConfig.DEFAULT_MAX_DOCUMENT_BYTES, HttpConfig.DEFAULT_MAX_BATCH_SIZE,
                        ServiceCatalog.locate(http.catalog));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--http: " + e.getMessage());
            }
            HttpApi api = new HttpApi(config, served.engine(), served::reloadNow, served::status, metrics, decisionLog);
            if (http.sts) {
                api.mount(StsQueryApi.PATH, new StsQueryApi(served.engine(), Clock.systemUTC(), config.maxBodyBytes(),
                        metrics));
            }
            if (gateways != null && gateways.httpGateways) {
                api.mount(NginxAuthRequest.PATH, new NginxAuthRequest(new Gateway(served.engine(), mapper,
                        gatewayOptions, recorder.observer("nginx"))));
                new OpaDataApi(new Gateway(served.engine(), mapper, gatewayOptions, recorder.observer("opa")),
                        config.maxBodyBytes()).mountOn(api);
            }
            sidecar.add(new HttpListener(api));
        }
    }

    private DecisionLog openDecisionLog(Metrics metrics) throws IOException {
        if (http == null || http.decisionLog == null) {
            return DecisionLog.off();
        }
        try {
            return DecisionLog.open(http.decisionLog, DecisionLog.DEFAULT_CAPACITY, metrics);
        } catch (IOException e) {
            throw new IOException("the decision log " + http.decisionLog + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private Set<PosixFilePermission> parseMode() {
        try {
            return UnixSockets.mode(socketMode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--socket-mode: " + e.getMessage());
        }
    }

    private static String summary(Sidecar sidecar, Metrics metrics) {
        StringBuilder text = new StringBuilder();
        for (Listener listener : sidecar.listeners()) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            if (listener instanceof HttpListener) {
                text.append(String.format(Locale.ROOT, "HTTP API: %,d checks, %,d errors", metrics.decisions(),
                        metrics.errors()));
            }
            if (listener instanceof BinaryListener binaryListener) {
                ServerStats stats = binaryListener.stats();
                text.append(String.format(Locale.ROOT, "binary protocol: %,d connections (%,d refused), %,d requests, "
                        + "%,d checks", stats.accepted(), stats.refused(), stats.requests(), stats.checks()));
                if (stats.bytesPerCheck() >= 0) {
                    text.append(String.format(Locale.ROOT, "; I/O threads allocated %.2f bytes per check in their last "
                            + "busy second", stats.bytesPerCheck()));
                }
            }
        }
        return text.toString();
    }

    static String serverVersion() {
        String version = ServeCommand.class.getPackage().getImplementationVersion();
        return "gavel " + (version == null ? "(development build)" : version);
    }
}
