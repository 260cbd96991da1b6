package dev.gavel.sidecar.sts;

import dev.gavel.Engine;
import dev.gavel.sidecar.http.BodyReader;
import dev.gavel.sidecar.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * AWS STS's query API, mounted on the HTTP API ({@link dev.gavel.sidecar.http.HttpApi#mount}), so that AWS SDKs and the AWS CLI get sessions from Gavel
 * with an endpoint override: {@code AssumeRole}, {@code AssumeRoleWithWebIdentity},
 * {@code AssumeRoleWithSAML}, {@code GetSessionToken} and {@code GetCallerIdentity}, as
 * {@code POST /} with a form body (or {@code GET /} with the query string, as a presigned
 * {@code GetCallerIdentity} URL is), {@code Version=2011-06-15}. Answers are AWS's XML documents,
 * refusals AWS's {@code ErrorResponse} with AWS's error codes and HTTP statuses.
 *
 * <p>The actions AWS signs are verified with SigV4 (service {@code sts}, any region) against the
 * directory's access keys and session tokens; the federated ones are unsigned, their token or
 * assertion being the authentication. The engine's STS flows ({@link dev.gavel.sts.Sts}) decide:
 * the sessions they issue are sealed with the directory's session keys, so that the engine (and
 * every instance holding those keys) resolves them, across reloads too.
 *
 * <pre>{@code
 * HttpApi http = new HttpApi(config.withTcp(loopback), engine, ...);
 * http.mount(StsQueryApi.PATH, new StsQueryApi(engine, Clock.systemUTC(), config.maxBodyBytes(), metrics));
 * http.start();
 * }</pre>
 *
 * <p>The body is read without blocking, then the action runs on Jetty's thread pool: the flows
 * verify signatures and tokens and evaluate trust policies with the reference evaluator, which
 * takes longer than a check. Each request counts in {@code gavel_sts_requests_total} by action and
 * outcome ({@code ok} or the error code).
 */
public final class StsQueryApi implements Request.Handler {

    /** Where AWS's clients send STS requests: the endpoint's root. */
    public static final String PATH = "/";

    private static final String XML_TYPE = "text/xml";

    private final StsEndpoint endpoint;
    private final int maxBodyBytes;
    private final Counter requests;

    /**
     * @param engine the engine whose directory issues and resolves sessions
     * @param clock the time that signatures, tokens and sessions are checked against
     * @param maxBodyBytes the largest request body (a SAML assertion can be tens of kilobytes)
     * @param metrics where {@code gavel_sts_requests_total} is registered
     */
    public StsQueryApi(Engine engine, Clock clock, int maxBodyBytes, Metrics metrics) {
        Objects.requireNonNull(engine, "engine");
        this.endpoint = new StsEndpoint(engine::directory, Objects.requireNonNull(clock, "clock"));
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.requests = Counter.builder().name("gavel_sts_requests_total")
                .help("STS query API requests, by action and outcome (ok, or the AWS error code)")
                .labelNames("action", "outcome").withoutExemplars().register(metrics.registry());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("GET")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
            send(response, callback, requestId, StsEndpoint.error(StsEndpoint.OTHER_ACTION,
                    StsErrors.METHOD_NOT_ALLOWED, "The STS query API answers POST and GET, not " + method, requestId));
            return true;
        }
        BodyReader.read(request, maxBodyBytes, new BodyReader.Sink() {
            @Override
            public void body(byte[] bytes, int length) {
                request.getComponents().getExecutor().execute(() ->
                        answer(request, response, callback, Arrays.copyOf(bytes, length), requestId));
            }

            @Override
            public void tooLarge(int limit) {
                send(response, callback, requestId, StsEndpoint.error(StsEndpoint.OTHER_ACTION,
                        StsErrors.REQUEST_ENTITY_TOO_LARGE, "The request body is over the limit of " + limit
                        + " bytes", requestId));
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }
        });
        return true;
    }

    private void answer(Request request, Response response, Callback callback, byte[] body, String requestId) {
        StsEndpoint.Reply reply;
        try {
            reply = endpoint.answer(new QueryRequest(request.getMethod(), request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), headers(request), body), requestId);
        } catch (RuntimeException | LinkageError e) {
            // The client hears AWS's code for our fault; the operator reads the cause on stderr.
            System.err.println("gavel: internal error in the STS query API: " + e);
            reply = StsEndpoint.error(StsEndpoint.OTHER_ACTION, StsErrors.INTERNAL_FAILURE,
                    "The request was not answered: an internal error (" + e.getClass().getSimpleName() + ")",
                    requestId);
        }
        send(response, callback, requestId, reply);
    }

    /** The headers by lower-case name, each name's values in the order received. */
    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                    .add(field.getValue());
        }
        return headers;
    }

    private void send(Response response, Callback callback, String requestId, StsEndpoint.Reply reply) {
        requests.labelValues(reply.action(), reply.outcome()).inc();
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, XML_TYPE);
        response.getHeaders().put("x-amzn-RequestId", requestId);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
