package dev.gavel.sidecar.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON that {@code gavel load} exchanges with the HTTP API, with jackson-core's streaming
 * parser and generator: request bodies (written once, when requests are prepared), answers (read
 * for their decisions and nothing more), the sample and the status. Fields the load tool does not
 * use are skipped, so that a newer server's additions do not break it.
 */
final class HttpJson {

    /** What {@code GET /v1/status} says that the load tool uses. */
    record ServerStatus(String version, long snapshotVersion, int maxBatch, int maxSample) {}

    /** The limits of a server whose status does not state them: the HTTP API's defaults. */
    private static final int DEFAULT_MAX_BATCH = 1_000;
    private static final int DEFAULT_MAX_SAMPLE = 100_000;

    private static final JsonFactory JSON = new JsonFactory();

    private HttpJson() {}

    // ---- request bodies -------------------------------------------------------------------------

    /** The body of {@code POST /v1/authorize} for one check. */
    static byte[] authorize(Check check) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            write(out, check);
        }
        return bytes.toByteArray();
    }

    /** The body of {@code POST /v1/authorize/batch}: a list of whole requests, each naming its caller. */
    static byte[] batch(List<Check> checks) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256 * checks.size());
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("requests");
            for (Check check : checks) {
                write(out, check);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator out, Check check) throws IOException {
        out.writeStartObject();
        if (check.byAccessKey()) {
            out.writeStringField("accessKeyId", check.principal());
            if (!check.sessionToken().isEmpty()) {
                out.writeStringField("sessionToken", check.sessionToken());
            }
        } else {
            out.writeStringField("principal", check.principal());
        }
        out.writeStringField("action", check.action());
        out.writeStringField("resource", check.resource());
        out.writeObjectFieldStart("context");
        for (Check.Fact fact : check.context()) {
            if (fact.multivalued()) {
                out.writeArrayFieldStart(fact.key());
                for (String value : fact.values()) {
                    out.writeString(value);
                }
                out.writeEndArray();
            } else {
                out.writeStringField(fact.key(), fact.values().get(0));
            }
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    // ---- answers --------------------------------------------------------------------------------

    /** The answer of {@code /v1/authorize}: {@code {"decision", "version", "decisionId"[, "failedClosed"]}}. */
    static CheckResult answer(byte[] body) throws IOException {
        try (JsonParser in = JSON.createParser(body)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, body);
            return answer(in, body);
        }
    }

    /** The answers of {@code /v1/authorize/batch}, in order; an item's error is a check that could not be asked. */
    static List<CheckResult> answers(byte[] body, int checks) throws IOException {
        List<CheckResult> results = new ArrayList<>(checks);
        try (JsonParser in = JSON.createParser(body)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, body);
            for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
                JsonToken value = in.nextToken();
                if (in.currentName().equals("answers")) {
                    expect(value, JsonToken.START_ARRAY, body);
                    for (JsonToken item = in.nextToken(); item == JsonToken.START_OBJECT; item = in.nextToken()) {
                        results.add(answer(in, body));
                    }
                } else {
                    in.skipChildren();
                }
            }
        }
        if (results.size() != checks) {
            throw new IOException(results.size() + " answers to a batch of " + checks + " checks");
        }
        return results;
    }

    /** One answer object, from its START_OBJECT to its END_OBJECT. */
    private static CheckResult answer(JsonParser in, byte[] body) throws IOException {
        Decision decision = null;
        long version = 0;
        boolean failedClosed = false;
        String error = null;
        for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
            String name = in.currentName();
            in.nextToken();
            switch (name) {
                case "decision" -> decision = Decision.fromJson(in.getText());
                case "version" -> version = in.getValueAsLong();
                case "failedClosed" -> failedClosed = in.getValueAsBoolean();
                case "error" -> error = errorCode(in);
                default -> in.skipChildren();
            }
        }
        if (error != null) {
            return new CheckResult(Decision.IMPLICIT_DENY, version, status(error), false, error, List.of());
        }
        if (decision == null) {
            throw new IOException("an answer without a decision: " + excerpt(body));
        }
        return new CheckResult(decision, version, CheckResult.Status.OK, failedClosed, "", List.of());
    }

    /** The code of an {@code "error": {"code", "message", ...}} object. */
    private static String errorCode(JsonParser in) throws IOException {
        String code = "ERROR";
        for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
            String name = in.currentName();
            in.nextToken();
            if (name.equals("code")) {
                code = in.getText();
            } else {
                in.skipChildren();
            }
        }
        return code;
    }

    /** A batch item's error code as the binary protocol's check status. */
    private static CheckResult.Status status(String code) {
        return switch (code) {
            case "UNKNOWN_PRINCIPAL" -> CheckResult.Status.UNKNOWN_PRINCIPAL;
            case "INVALID_CREDENTIALS" -> CheckResult.Status.INVALID_CREDENTIALS;
            case "INVALID_FIELD", "MISSING_FIELD", "UNKNOWN_FIELD" -> CheckResult.Status.INVALID_REQUEST;
            default -> CheckResult.Status.UNKNOWN;
        };
    }

    /** An error answer's {@code CODE: message}, or the body's beginning when it is not one. */
    static String error(byte[] body) {
        String code = null;
        String message = null;
        try (JsonParser in = JSON.createParser(body)) {
            if (in.nextToken() == JsonToken.START_OBJECT && in.nextToken() == JsonToken.FIELD_NAME
                    && in.currentName().equals("error") && in.nextToken() == JsonToken.START_OBJECT) {
                for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
                    String name = in.currentName();
                    in.nextToken();
                    if (name.equals("code")) {
                        code = in.getText();
                    } else if (name.equals("message")) {
                        message = in.getText();
                    } else {
                        in.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // Not JSON: shown as it is below.
        }
        return code == null ? excerpt(body) : code + (message == null ? "" : ": " + message);
    }

    // ---- sample and status ----------------------------------------------------------------------

    /** The requests of {@code GET /v1/sample}: {@code {"requests": [authorize body...]}}. */
    static List<Check> sample(byte[] body) throws IOException {
        List<Check> checks = new ArrayList<>();
        try (JsonParser in = JSON.createParser(body)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, body);
            for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
                JsonToken value = in.nextToken();
                if (in.currentName().equals("requests")) {
                    expect(value, JsonToken.START_ARRAY, body);
                    for (JsonToken item = in.nextToken(); item == JsonToken.START_OBJECT; item = in.nextToken()) {
                        checks.add(check(in, body));
                    }
                } else {
                    in.skipChildren();
                }
            }
        }
        return checks;
    }

    private static Check check(JsonParser in, byte[] body) throws IOException {
        String principal = null;
        String accessKeyId = null;
        String sessionToken = null;
        String action = null;
        String resource = null;
        List<Check.Fact> context = new ArrayList<>();
        for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            switch (name) {
                case "principal" -> principal = in.getText();
                case "accessKeyId" -> accessKeyId = in.getText();
                case "sessionToken" -> sessionToken = in.getText();
                case "action" -> action = in.getText();
                case "resource" -> resource = in.getText();
                case "context" -> {
                    expect(value, JsonToken.START_OBJECT, body);
                    for (JsonToken key = in.nextToken(); key == JsonToken.FIELD_NAME; key = in.nextToken()) {
                        String factKey = in.currentName();
                        if (in.nextToken() == JsonToken.START_ARRAY) {
                            List<String> values = new ArrayList<>();
                            while (in.nextToken() != JsonToken.END_ARRAY) {
                                values.add(in.getText());
                            }
                            context.add(new Check.Fact(factKey, values, true));
                        } else {
                            context.add(new Check.Fact(factKey, List.of(in.getText()), false));
                        }
                    }
                }
                default -> in.skipChildren();
            }
        }
        if ((principal == null) == (accessKeyId == null) || action == null || resource == null) {
            throw new IOException("a sampled request without one caller, an action and a resource: " + excerpt(body));
        }
        return principal != null ? new Check(principal, "", false, action, resource, context)
                : new Check(accessKeyId, sessionToken, true, action, resource, context);
    }

    /** What {@code GET /v1/status} says: versions and, from a server that states them, limits. */
    static ServerStatus status(byte[] body) throws IOException {
        String version = "unknown version";
        long snapshot = -1;
        int maxBatch = DEFAULT_MAX_BATCH;
        int maxSample = DEFAULT_MAX_SAMPLE;
        try (JsonParser in = JSON.createParser(body)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, body);
            for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                switch (name) {
                    case "version" -> version = in.getText();
                    case "snapshotVersion" -> snapshot = in.getValueAsLong();
                    case "limits" -> {
                        expect(value, JsonToken.START_OBJECT, body);
                        for (JsonToken limit = in.nextToken(); limit == JsonToken.FIELD_NAME; limit = in.nextToken()) {
                            String limitName = in.currentName();
                            in.nextToken();
                            switch (limitName) {
                                case "maxBatch" -> maxBatch = in.getValueAsInt();
                                case "maxSample" -> maxSample = in.getValueAsInt();
                                default -> in.skipChildren();
                            }
                        }
                    }
                    default -> in.skipChildren();
                }
            }
        }
        return new ServerStatus(version, snapshot, maxBatch, maxSample);
    }

    private static void expect(JsonToken found, JsonToken expected, byte[] body) throws IOException {
        if (found != expected) {
            throw new IOException("unexpected JSON from the server (" + found + " where " + expected + " belongs): "
                    + excerpt(body));
        }
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? text + "..." : text;
    }
}
