package dev.gavel.sidecar.http;

import dev.gavel.cli.RequestSample;
import dev.gavel.directory.Directory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /v1/sample}: realistic requests drawn from the served directory as
 * {@code gavel bench} draws its workload ({@link RequestSample}), the same ones that the binary
 * protocol's Sample message gives for the same count and seed. Each is written in the format of
 * {@code /v1/authorize}'s body, so the answer is also a valid {@code /v1/authorize/batch} body
 * when it holds no more requests than a batch may.
 *
 * <pre>
 * {"requests": [{"principal": ARN, "action": "svc:Action", "resource": ARN, "context": {"key": "value"...}}...]}
 * </pre>
 */
final class Samples {

    /** The most requests one sample may hold: about 25 MB of JSON. */
    static final int MAX_COUNT = 100_000;
    static final int DEFAULT_COUNT = 100;
    static final long DEFAULT_SEED = 1;

    private Samples() {}

    static byte[] json(Directory directory, int count, long seed) {
        List<RequestSample.Request> drawn = RequestSample.draw(directory, count, seed, Clock.systemUTC());
        return ApiHandler.json(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("requests");
            for (RequestSample.Request request : drawn) {
                out.writeStartObject();
                out.writeStringField("principal", request.principal());
                out.writeStringField("action", request.action());
                out.writeStringField("resource", request.resource());
                out.writeObjectFieldStart("context");
                for (Map.Entry<String, String> fact : request.context().entrySet()) {
                    out.writeStringField(fact.getKey(), fact.getValue());
                }
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }
}
