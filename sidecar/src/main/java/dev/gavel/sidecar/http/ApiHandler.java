package dev.gavel.sidecar.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.gavel.Engine;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.LoadProblem;
import dev.gavel.policy.Finding;
import dev.gavel.policy.PolicyKind;
import dev.gavel.report.ReportJson;
import dev.gavel.sidecar.metrics.Metrics;
import dev.gavel.sidecar.source.SourceStatus;
import dev.gavel.simulate.CaseLine;
import dev.gavel.simulate.CaseParser;
import dev.gavel.simulate.CaseResult;
import dev.gavel.simulate.CaseRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The HTTP API's endpoints, on Jetty's core handler API. Routing is one map lookup by path, then
 * the method. Every failure a request can meet becomes a JSON error with its stable code; an
 * unexpected exception becomes {@code INTERNAL_ERROR} for that request alone.
 *
 * <p>The handler declares itself non-blocking, so that Jetty runs a check on the thread that
 * read the request, with no hand-off to another thread: a check takes microseconds, its body is
 * read without blocking, and its answer is written without waiting. Measured with
 * {@code HttpThroughput} on the 2-core build machine, that took four keep-alive connections from
 * about 45,000 to about 70,000 checks a second (one connection is bound by the two thread
 * wake-ups of each round trip more than by the work). The endpoints that may take long
 * (simulate, validate, reload, sample) are handed to Jetty's thread pool.
 */
final class ApiHandler extends Handler.Abstract {

    private static final JsonFactory JSON = new JsonFactory();
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField NDJSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            "application/x-ndjson");
    private static final String UNKNOWN_VERSION = "development build";

    /** One endpoint: its method, what it does, and whether it may take long (then run on the pool). */
    private record Route(String method, Endpoint endpoint, boolean slow) {
        Route(String method, Endpoint endpoint) {
            this(method, endpoint, false);
        }
    }

    @FunctionalInterface
    private interface Endpoint {
        void handle(Request request, Response response, Callback callback) throws Exception;
    }

    /** Directory counts, computed once per snapshot. */
    private record Counts(long version, Map<String, Integer> counts) {}

    private final HttpConfig config;
    private final Engine engine;
    private final java.util.concurrent.Callable<Long> reload;
    private final Supplier<Status> status;
    private final Metrics metrics;
    private final Decider decider;
    private final RequestParser parser;
    private final Map<String, Route> routes;
    private final ReentrantLock reloading = new ReentrantLock();
    private final Instant started = Instant.now();
    private volatile Counts counts = new Counts(-1, Map.of());
    /** Gateways' handlers by the exact path each answers, in its own format; mounted before the server starts. */
    private volatile Map<String, Request.Handler> mounts = Map.of();

    ApiHandler(HttpConfig config, Engine engine, java.util.concurrent.Callable<Long> reload, Supplier<Status> status, Metrics metrics,
            Decider decider) {
        super(InvocationType.NON_BLOCKING);
        this.config = config;
        this.engine = engine;
        this.reload = reload;
        this.status = status;
        this.metrics = metrics;
        this.decider = decider;
        this.parser = new RequestParser(config.maxBodyBytes(), config.maxBatchSize());
        this.routes = Map.of(
                "/v1/authorize", new Route("POST", this::authorize),
                "/v1/authorize/batch", new Route("POST", this::batch),
                "/v1/simulate", new Route("POST", this::simulate, true),
                "/v1/validate", new Route("POST", this::validate, true),
                "/v1/reload", new Route("POST", this::reload, true),
                "/v1/status", new Route("GET", this::status),
                "/v1/sample", new Route("GET", this::sample, true),
                "/health", new Route("GET", this::health),
                "/health/ready", new Route("GET", this::ready),
                "/metrics", new Route("GET", this::metrics));
    }

    /** Mounts a gateway's handler at a path no endpoint has: see {@link HttpApi#mount}. */
    void mount(String path, Request.Handler handler) {
        if (routes.containsKey(path) || mounts.containsKey(path)) {
            throw new IllegalArgumentException("the HTTP API already answers " + path);
        }
        Map<String, Request.Handler> next = new java.util.HashMap<>(mounts);
        next.put(path, handler);
        mounts = Map.copyOf(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        Route route = routes.get(path);
        try {
            Request.Handler mounted = mounts.get(path);
            if (mounted != null) {
                return mounted.handle(request, response, callback);
            }
            if (route == null) {
                throw new ApiException(ErrorCode.NOT_FOUND, null, "no endpoint at \"" + path + "\"");
            }
            if (!route.method().equals(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, route.method());
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, null, path + " answers " + route.method()
                        + ", not " + request.getMethod());
            }
            if (route.slow()) {
                request.getComponents().getExecutor().execute(() -> run(route, request, response, callback));
            } else {
                route.endpoint().handle(request, response, callback);
            }
        } catch (ApiException e) {
            error(response, callback, e);
        } catch (Exception | LinkageError e) {
            internalError(response, callback, e);
        }
        return true;
    }

    private void run(Route route, Request request, Response response, Callback callback) {
        try {
            route.endpoint().handle(request, response, callback);
        } catch (ApiException e) {
            error(response, callback, e);
        } catch (Exception | LinkageError e) {
            internalError(response, callback, e);
        }
    }

    // ---- decisions ------------------------------------------------------------------------

    private void authorize(Request request, Response response, Callback callback) throws ApiException {
        ready();
        readBody(request, response, callback, config.maxBodyBytes(), (bytes, length) -> {
            Decider.Decided decided = decider.decide(parser.authorize(bytes, length));
            send(response, callback, 200, JSON_TYPE, decided.request().explain()
                    ? json(out -> Decider.write(out, decided))
                    : Decider.compact(decided).getBytes(StandardCharsets.ISO_8859_1));
        });
    }

    private void batch(Request request, Response response, Callback callback) throws ApiException {
        ready();
        readBody(request, response, callback, config.maxBodyBytes(), (bytes, length) -> {
            Object[] results = decider.decideAll(parser.batch(bytes, length));
            send(response, callback, 200, JSON_TYPE, json(out -> {
                out.writeStartObject();
                out.writeArrayFieldStart("answers");
                for (Object result : results) {
                    if (result instanceof Decider.Decided decided) {
                        Decider.write(out, decided);
                    } else {
                        out.writeStartObject();
                        writeError(out, (ApiException) result);
                        out.writeEndObject();
                    }
                }
                out.writeEndArray();
                out.writeEndObject();
            }));
        });
    }

    private void ready() throws ApiException {
        if (!status.get().ready()) {
            throw new ApiException(ErrorCode.NOT_READY, null, "no snapshot is loaded yet: retry when /health/ready "
                    + "answers 200");
        }
    }

    // ---- simulate and validate ---------------------------------------------------------------

    private void simulate(Request request, Response response, Callback callback) throws ApiException {
        Fields query = query(request, List.of("explain", "engine"));
        boolean explain = flag(query, "explain");
        String engineName = query.getValue("engine");
        CaseRunner.Engine runnerEngine = engineName == null ? CaseRunner.Engine.COMPILED : switch (engineName) {
            case "compiled" -> CaseRunner.Engine.COMPILED;
            case "reference" -> CaseRunner.Engine.REFERENCE;
            default -> throw new ApiException(ErrorCode.INVALID_FIELD, "engine", "must be \"compiled\" or "
                    + "\"reference\", found \"" + engineName + "\"");
        };
        readBody(request, response, callback, config.maxDocumentBytes(), (bytes, length) -> {
            List<CaseLine> lines = CaseParser.read("body", utf8(bytes, length));
            CaseRunner runner = new CaseRunner(runnerEngine);
            StringBuilder out = new StringBuilder();
            int passed = 0;
            int failed = 0;
            for (CaseLine line : lines) {
                CaseResult result = runner.run(line);
                out.append(ReportJson.caseLine(result, explain, true)).append('\n');
                switch (result.outcome()) {
                    case PASSED -> passed++;
                    case FAILED, ERROR -> failed++;
                    default -> { }
                }
            }
            response.getHeaders().put("Gavel-Passed", Integer.toString(passed));
            response.getHeaders().put("Gavel-Failed", Integer.toString(failed));
            send(response, callback, 200, NDJSON_TYPE, out.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private void validate(Request request, Response response, Callback callback) throws ApiException {
        Fields query = query(request, List.of("type"));
        String typeName = query.getValue("type");
        PolicyKind kind = typeName == null ? PolicyKind.AUTO : PolicyKind.fromName(typeName);
        if (kind == null) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "type", "unknown policy type \"" + typeName
                    + "\"; expected one of " + Arrays.toString(PolicyKind.values()));
        }
        readBody(request, response, callback, config.maxDocumentBytes(), (bytes, length) -> {
            List<Finding> findings = kind.validate("body", utf8(bytes, length), config.catalog());
            send(response, callback, 200, JSON_TYPE,
                    (ReportJson.findings(findings) + "\n").getBytes(StandardCharsets.UTF_8));
        });
    }

    // ---- samples, for load tools ---------------------------------------------------------------

    private void sample(Request request, Response response, Callback callback) throws ApiException {
        ready();
        Fields query = query(request, List.of("count", "seed"));
        int count = (int) wholeNumber(query, "count", Samples.DEFAULT_COUNT, 1, Samples.MAX_COUNT);
        long seed = wholeNumber(query, "seed", Samples.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        send(response, callback, 200, JSON_TYPE, Samples.json(engine.directory(), count, seed));
    }

    /** A query parameter that is a whole number from min to max; {@code absent} when it is not given. */
    private static long wholeNumber(Fields query, String name, long absent, long min, long max) throws ApiException {
        String text = query.getValue(name);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Refused below, as a value out of range is.
        }
        throw new ApiException(ErrorCode.INVALID_FIELD, name, "must be a whole number"
                + (min == Long.MIN_VALUE ? "" : " from " + min + " to " + max) + ", found \"" + text + "\"");
    }

    // ---- operations ------------------------------------------------------------------------

    private void reload(Request request, Response response, Callback callback) throws ApiException {
        if (!reloading.tryLock()) {
            throw new ApiException(ErrorCode.RELOAD_IN_PROGRESS, null, "another reload is running; the snapshot it "
                    + "loads will serve when it finishes");
        }
        long version;
        try {
            version = reload.call();
        } catch (DirectoryException e) {
            metrics.recordReload(false);
            metrics.recordError(ErrorCode.RELOAD_FAILED.name());
            byte[] body = json(out -> {
                out.writeStartObject();
                out.writeObjectFieldStart("error");
                out.writeStringField("code", ErrorCode.RELOAD_FAILED.name());
                out.writeStringField("message", "the directory did not load, and snapshot " + engine.version()
                        + " keeps serving: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
                out.writeArrayFieldStart("problems");
                for (LoadProblem problem : e.problems()) {
                    out.writeStartObject();
                    out.writeStringField("file", problem.file());
                    out.writeNumberField("line", problem.line());
                    out.writeNumberField("column", problem.column());
                    out.writeStringField("path", problem.path());
                    out.writeStringField("message", problem.message());
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeEndObject();
                out.writeEndObject();
            });
            send(response, callback, ErrorCode.RELOAD_FAILED.status(), JSON_TYPE, body);
            return;
        } catch (IllegalStateException e) {
            metrics.recordReload(false);
            throw new ApiException(ErrorCode.RELOAD_UNAVAILABLE, null, e.getMessage());
        } catch (Exception e) {
            metrics.recordReload(false);
            throw new ApiException(ErrorCode.RELOAD_FAILED, null, "the reload failed, and snapshot "
                    + engine.version() + " keeps serving: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } finally {
            reloading.unlock();
        }
        metrics.recordReload(true);
        metrics.setVersion(version);
        send(response, callback, 200, JSON_TYPE, json(out -> {
            out.writeStartObject();
            out.writeNumberField("version", version);
            out.writeEndObject();
        }));
    }

    private void health(Request request, Response response, Callback callback) {
        send(response, callback, 200, JSON_TYPE, json(out -> {
            out.writeStartObject();
            out.writeStringField("status", "up");
            out.writeEndObject();
        }));
    }

    private void ready(Request request, Response response, Callback callback) {
        boolean ready = status.get().ready();
        send(response, callback, ready ? 200 : 503, JSON_TYPE, json(out -> {
            out.writeStartObject();
            out.writeBooleanField("ready", ready);
            if (ready) {
                out.writeNumberField("version", engine.version());
            }
            out.writeEndObject();
        }));
    }

    private void status(Request request, Response response, Callback callback) {
        Status current = status.get();
        Instant startedAt = current.startedAt() == null ? started : current.startedAt();
        Counts snapshot = counts();
        send(response, callback, 200, JSON_TYPE, json(out -> {
            out.writeStartObject();
            String version = ApiHandler.class.getPackage().getImplementationVersion();
            out.writeStringField("version", version == null ? UNKNOWN_VERSION : version);
            out.writeNumberField("snapshotVersion", snapshot.version());
            out.writeBooleanField("ready", current.ready());
            out.writeStringField("source", current.source());
            SourceStatus source = current.sourceStatus();
            if (source != null) {
                out.writeStringField("contentVersion", source.contentVersion());
                writeTime(out, "loadedAt", source.loadedAt());
                writeTime(out, "checkedAt", source.checkedAt());
                if (source.failure() != null) {
                    out.writeObjectFieldStart("sourceFailure");
                    out.writeStringField("reason", source.failureReason() == null ? null
                            : source.failureReason().name());
                    out.writeStringField("message", source.failure());
                    out.writeNumberField("consecutiveFailures", source.consecutiveFailures());
                    out.writeEndObject();
                }
            }
            out.writeStringField("startedAt", startedAt.toString());
            out.writeNumberField("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
            out.writeObjectFieldStart("counts");
            for (Map.Entry<String, Integer> count : snapshot.counts().entrySet()) {
                out.writeNumberField(count.getKey(), count.getValue());
            }
            out.writeNumberField("decisions", metrics.decisions());
            out.writeNumberField("errors", metrics.errors());
            out.writeEndObject();
            out.writeObjectFieldStart("limits");
            out.writeNumberField("maxBatch", config.maxBatchSize());
            out.writeNumberField("maxBodyBytes", config.maxBodyBytes());
            out.writeNumberField("maxSample", Samples.MAX_COUNT);
            out.writeEndObject();
            out.writeEndObject();
        }));
    }

    private static void writeTime(JsonGenerator out, String field, Instant time) throws IOException {
        if (time != null) {
            out.writeStringField(field, time.toString());
        }
    }

    /** What the current snapshot holds, counted once per snapshot. */
    private Counts counts() {
        long version = engine.version();
        Counts current = counts;
        if (current.version() == version) {
            return current;
        }
        Directory directory = engine.directory();
        int users = 0;
        int groups = 0;
        int roles = 0;
        int policies = 0;
        for (Account account : directory.accounts()) {
            users += account.users().size();
            groups += account.groups().size();
            roles += account.roles().size();
            policies += account.policies().size();
        }
        // Insertion order is the order they are shown in.
        Map<String, Integer> values = new java.util.LinkedHashMap<>();
        values.put("accounts", directory.accounts().size());
        values.put("users", users);
        values.put("groups", groups);
        values.put("roles", roles);
        values.put("managedPolicies", policies);
        values.put("resourcePolicies", directory.resourcePolicies().size());
        current = new Counts(version, java.util.Collections.unmodifiableMap(values));
        counts = current;
        return current;
    }

    private void metrics(Request request, Response response, Callback callback) throws IOException {
        metrics.setVersion(engine.version());
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        metrics.writeText(out);
        send(response, callback, 200, new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, metrics.textContentType()),
                out.toByteArray());
    }

    // ---- bodies, queries, answers -------------------------------------------------------------

    /** What an endpoint does with its body; may refuse it with an {@link ApiException}. */
    @FunctionalInterface
    private interface BodyHandler {
        void handle(byte[] bytes, int length) throws ApiException, IOException;
    }

    private void readBody(Request request, Response response, Callback callback, int limit, BodyHandler handler) {
        BodyReader.read(request, limit, new BodyReader.Sink() {
            @Override
            public void body(byte[] bytes, int length) {
                try {
                    handler.handle(bytes, length);
                } catch (ApiException e) {
                    error(response, callback, e);
                } catch (Exception | LinkageError e) {
                    internalError(response, callback, e);
                }
            }

            @Override
            public void tooLarge(int max) {
                error(response, callback, new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, null,
                        "the body is over this endpoint's limit of " + max + " bytes"));
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }
        });
    }

    /** The query's parameters, refusing any but these. */
    private static Fields query(Request request, List<String> known) throws ApiException {
        Fields fields = Request.extractQueryParameters(request);
        for (String name : fields.getNames()) {
            if (!known.contains(name)) {
                String closest = dev.gavel.json.NameHints.closest(name, known);
                throw new ApiException(ErrorCode.UNKNOWN_FIELD, name, "unknown query parameter \"" + name + "\""
                        + (closest == null ? "; this endpoint takes " + String.join(", ", known)
                        : ": did you mean \"" + closest + "\"?"));
            }
        }
        return fields;
    }

    private static boolean flag(Fields query, String name) throws ApiException {
        String value = query.getValue(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw new ApiException(ErrorCode.INVALID_FIELD, name, "must be true or false, found \"" + value + "\"");
    }

    /** A text body: strict UTF-8, so that a file in another encoding is refused rather than misread. */
    private static String utf8(byte[] bytes, int length) throws ApiException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_ENCODING, null, "the body is not UTF-8 text");
        }
    }

    /** A JSON body written with jackson's generator, compact. */
    static byte[] json(ReportJson.Body body) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void send(Response response, Callback callback, int status, HttpField type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void error(Response response, Callback callback, ApiException e) {
        metrics.recordError(e.code().name());
        send(response, callback, e.code().status(), JSON_TYPE, json(out -> {
            out.writeStartObject();
            writeError(out, e);
            out.writeEndObject();
        }));
    }

    private void internalError(Response response, Callback callback, Throwable e) {
        // The client hears a stable code; the operator reads the cause on stderr.
        System.err.println("gavel: internal error in the HTTP API: " + e);
        error(response, callback, new ApiException(ErrorCode.INTERNAL_ERROR, null, "the request was not decided: an "
                + "internal error (" + e.getClass().getSimpleName() + ")"));
    }

    /** The field {@code "error": {"code", "message", "field"}}. */
    static void writeError(JsonGenerator out, ApiException e) throws IOException {
        out.writeObjectFieldStart("error");
        out.writeStringField("code", e.code().name());
        out.writeStringField("message", e.getMessage());
        if (e.field() != null) {
            out.writeStringField("field", e.field());
        }
        out.writeEndObject();
    }
}
