package dev.gavel.sidecar.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.gateway.NginxAuthRequest;
import dev.gavel.sidecar.gateway.OpaDataApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the gateway endpoints are asked about an S3 call: as NGINX's {@code auth_request}
 * subrequest (the original request in {@code X-Original-*} headers beside the client's own), and
 * as an OPA data API query (the request as OPA-Envoy's input). A gateway answers allowed or
 * denied, not which deny, so a denial counts as {@code implicitDeny}.
 */
final class GatewayCodecs {

    static final String NGINX_PATH = NginxAuthRequest.PATH;
    static final String OPA_PATH = OpaDataApi.ALLOW_PATH;
    private static final JsonFactory JSON = new JsonFactory();

    private GatewayCodecs() {}

    static HttpCodec nginx(Map<Check, S3Calls.Call> calls) {
        return new HttpCodec() {
            @Override
            public byte[] encode(List<Check> checks) throws IOException {
                S3Calls.Call call = call(calls, checks);
                StringBuilder head = new StringBuilder(512).append("GET ").append(NGINX_PATH).append(" HTTP/1.1\r\n");
                head.append("X-Original-Method: ").append(call.method()).append("\r\n");
                head.append("X-Original-URI: ").append(call.rawPath())
                        .append(call.rawQuery().isEmpty() ? "" : "?" + call.rawQuery()).append("\r\n");
                head.append("X-Forwarded-Proto: https\r\n");
                call.headers().forEach((name, values) -> values.forEach(value ->
                        head.append(name).append(": ").append(value).append("\r\n")));
                return head.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            }

            @Override
            public List<CheckResult> decode(int checks, HttpChannel.Response response) throws IOException {
                return switch (response.status()) {
                    case 200 -> List.of(result(Decision.ALLOWED));
                    case 401, 403 -> List.of(result(Decision.IMPLICIT_DENY));
                    default -> throw new IOException("HTTP " + response.status() + " from " + NGINX_PATH + ": "
                            + response.text());
                };
            }
        };
    }

    static HttpCodec opa(Map<Check, S3Calls.Call> calls) {
        return new HttpCodec() {
            @Override
            public byte[] encode(List<Check> checks) throws IOException {
                S3Calls.Call call = call(calls, checks);
                ByteArrayOutputStream body = new ByteArrayOutputStream(512);
                try (JsonGenerator out = JSON.createGenerator(body)) {
                    out.writeStartObject();
                    out.writeObjectFieldStart("input");
                    out.writeObjectFieldStart("attributes");
                    out.writeObjectFieldStart("request");
                    out.writeObjectFieldStart("http");
                    out.writeStringField("method", call.method());
                    out.writeStringField("scheme", "https");
                    out.writeStringField("host", call.host());
                    out.writeStringField("path", call.rawPath() + (call.rawQuery().isEmpty() ? "" : "?"
                            + call.rawQuery()));
                    out.writeObjectFieldStart("headers");
                    for (Map.Entry<String, List<String>> header : call.headers().entrySet()) {
                        out.writeStringField(header.getKey().toLowerCase(Locale.ROOT),
                                String.join(",", header.getValue()));
                    }
                    out.writeEndObject();
                    out.writeEndObject();
                    out.writeEndObject();
                    out.writeEndObject();
                    out.writeEndObject();
                    out.writeEndObject();
                }
                return HttpChannel.post(OPA_PATH, body.toByteArray());
            }

            @Override
            public List<CheckResult> decode(int checks, HttpChannel.Response response) throws IOException {
                if (response.status() != 200) {
                    throw new IOException("HTTP " + response.status() + " from " + OPA_PATH + ": " + response.text());
                }
                try (JsonParser in = JSON.createParser(response.body())) {
                    if (in.nextToken() == JsonToken.START_OBJECT) {
                        for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
                            JsonToken value = in.nextToken();
                            if (in.currentName().equals("result") && value.isBoolean()) {
                                return List.of(result(value == JsonToken.VALUE_TRUE ? Decision.ALLOWED
                                        : Decision.IMPLICIT_DENY));
                            }
                            in.skipChildren();
                        }
                    }
                }
                throw new IOException("no boolean result in the answer of " + OPA_PATH + ": " + response.text());
            }
        };
    }

    private static S3Calls.Call call(Map<Check, S3Calls.Call> calls, List<Check> checks) throws IOException {
        S3Calls.Call call = checks.size() == 1 ? calls.get(checks.get(0)) : null;
        if (call == null) {
            throw new IOException("a gateway endpoint is asked one sampled S3 call at a time");
        }
        return call;
    }

    private static CheckResult result(Decision decision) {
        return new CheckResult(decision, 0, CheckResult.Status.OK, false, null, List.of());
    }
}
