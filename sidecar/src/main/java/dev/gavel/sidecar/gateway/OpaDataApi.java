package dev.gavel.sidecar.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayDecision;
import dev.gavel.gateway.GatewayRequest;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.sidecar.http.BodyReader;
import dev.gavel.sidecar.http.HttpApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gavel's gateway decisions as OPA's data API, for gateways that ask OPA: {@code POST} a body
 * {@code {"input": ...}} describing the client's request as OPA-Envoy or Kong's OPA plugin does
 * ({@link OpaInput} lists what is read), and the answer is OPA's:
 *
 * <pre>
 * POST /v1/data/gavel/allow      {"result": true | false, "decision_id": ID}
 * POST /v1/data/gavel/decision   {"result": {"allow", "status", "code", "message", "principal", "operation",
 *                                            "action", "resource", "decision", "decision_id", "headers"},
 *                                 "decision_id": ID}
 * POST /v1/data/gavel            {"result": {"allow": ..., "decision": {...}}, "decision_id": ID}
 * </pre>
 *
 * The decision object is one Kong's and APISIX's OPA plugins read as it is: {@code allow}, and
 * {@code headers} for the backend ({@code x-gavel-principal}, {@code x-gavel-decision-id}) or the
 * client ({@code x-amz-request-id}). A request Gavel refuses is a decision like any other, answered
 * 200 with {@code false}. A body Gavel cannot read is answered as OPA answers one, 400
 * {@code {"code": "invalid_parameter", "message": ...}} with the JSON path of the problem; a client
 * of OPA's API takes that as an error, and denies. Other paths under {@code /v1/data} are not
 * mounted: the HTTP API answers them 404.
 */
public final class OpaDataApi implements Request.Handler {

    /** The boolean decision. */
    public static final String ALLOW_PATH = "/v1/data/gavel/allow";
    /** The decision with its reasons. */
    public static final String DECISION_PATH = "/v1/data/gavel/decision";
    /** The whole {@code gavel} document: both rules. */
    public static final String PACKAGE_PATH = "/v1/data/gavel";
    /** Every path this API answers. */
    public static final List<String> PATHS = List.of(ALLOW_PATH, DECISION_PATH, PACKAGE_PATH);

    private static final int MAX_DEPTH = 32;
    private static final JsonFactory JSON = new JsonFactory();

    private final Gateway gateway;
    private final int maxBodyBytes;
    private final JsonReader reader;

    /**
     * @param gateway decides each request described
     * @param maxBodyBytes the largest body read
     */
    public OpaDataApi(Gateway gateway, int maxBodyBytes) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.reader = new JsonReader(maxBodyBytes, MAX_DEPTH);
    }

    /** Mounts every path of the API on {@code api}, before it starts. */
    public HttpApi mountOn(HttpApi api) {
        for (String path : PATHS) {
            api.mount(path, this);
        }
        return api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            error(response, callback, 405, "invalid_operation", path + " answers POST with {\"input\": ...}, not "
                    + request.getMethod());
            return true;
        }
        BodyReader.read(request, maxBodyBytes, new BodyReader.Sink() {
            @Override
            public void body(byte[] bytes, int length) {
                answer(path, new String(bytes, 0, length, StandardCharsets.UTF_8), response, callback);
            }

            @Override
            public void tooLarge(int limit) {
                error(response, callback, 413, "invalid_parameter", "the request body is over the limit of " + limit
                        + " bytes");
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }
        });
        return true;
    }

    private void answer(String path, String body, Response response, Callback callback) {
        try {
            decide(path, body, response, callback);
        } catch (RuntimeException | LinkageError e) {
            // Nothing is allowed on a failure: the client of OPA's API takes a 500 as a denial.
            error(response, callback, 500, "internal_error", "the request was not decided: an internal error ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private void decide(String path, String body, Response response, Callback callback) {
        GatewayRequest original;
        try {
            original = OpaInput.read(reader.read(body));
        } catch (JsonSyntaxException e) {
            error(response, callback, 400, "invalid_parameter", "the body is not JSON: at " + e.position() + ", "
                    + e.getMessage());
            return;
        } catch (OpaInputException e) {
            error(response, callback, 400, "invalid_parameter", e.getMessage());
            return;
        }
        GatewayDecision decision = gateway.decide(original);
        send(response, callback, 200, json(out -> {
            out.writeStartObject();
            out.writeFieldName("result");
            switch (path) {
                case ALLOW_PATH -> out.writeBoolean(decision.allowed());
                case DECISION_PATH -> writeDecision(out, decision);
                default -> {
                    out.writeStartObject();
                    out.writeBooleanField("allow", decision.allowed());
                    out.writeFieldName("decision");
                    writeDecision(out, decision);
                    out.writeEndObject();
                }
            }
            out.writeStringField("decision_id", decision.decisionId());
            out.writeEndObject();
        }));
    }

    private static void writeDecision(JsonGenerator out, GatewayDecision decision) throws IOException {
        out.writeStartObject();
        out.writeBooleanField("allow", decision.allowed());
        out.writeNumberField("status", decision.status());
        out.writeStringField("code", decision.errorCode());
        out.writeStringField("message", decision.message());
        out.writeStringField("principal", decision.principal());
        out.writeStringField("operation", decision.mapped() == null ? null : decision.mapped().operation());
        out.writeStringField("action", decision.mapped() == null ? null : decision.mapped().action());
        out.writeStringField("resource", decision.mapped() == null ? null : decision.mapped().resource());
        out.writeStringField("decision", decision.decision() == null ? null : decision.decision().name());
        out.writeStringField("decision_id", decision.decisionId());
        out.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> header : decision.headers().entrySet()) {
            out.writeStringField(header.getKey(), header.getValue());
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /** OPA's error document. */
    private static void error(Response response, Callback callback, int status, String code, String message) {
        send(response, callback, status, json(out -> {
            out.writeStartObject();
            out.writeStringField("code", code);
            out.writeStringField("message", message);
            out.writeEndObject();
        }));
    }

    private static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] json(JsonBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
