package dev.gavel.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(1 << 20, 3);

    private CheckRequest authorize(String json) throws ApiException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return parser.authorize(bytes, bytes.length);
    }

    private List<CheckRequest> batch(String json) throws ApiException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return parser.batch(bytes, bytes.length);
    }

    private static void refused(ThrowingRunnable call, ErrorCode code, String field, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void readsEveryFieldOfARequest() throws ApiException {
        CheckRequest request = authorize("{\"accessKeyId\": \"ASIAX\", \"sessionToken\": \"t\", \"action\": \"s3:GetObject\", "
                + "\"resource\": \"arn:aws:s3:::b/k\", \"explain\": true, \"context\": {\"aws:SourceIp\": \"10.0.0.1\", "
                + "\"aws:SecureTransport\": true, \"s3:max-keys\": 10, \"aws:TagKeys\": [\"a\", 2], \"aws:Empty\": []}}");
        assertThat(request.principal()).isNull();
        assertThat(request.accessKeyId()).isEqualTo("ASIAX");
        assertThat(request.sessionToken()).isEqualTo("t");
        assertThat(request.explain()).isTrue();
        assertThat(request.context()).extracting(CheckRequest.Fact::key, CheckRequest.Fact::value,
                CheckRequest.Fact::values).containsExactly(
                        tuple("aws:SourceIp", "10.0.0.1", null),
                        tuple("aws:SecureTransport", "true", null),
                        tuple("s3:max-keys", "10", null),
                        tuple("aws:TagKeys", null, List.of("a", "2")),
                        tuple("aws:Empty", null, List.of()));
    }

    @Test
    void nullsAreAbsent() throws ApiException {
        CheckRequest request = authorize("{\"principal\": \"arn:aws:iam::1:user/a\", \"accessKeyId\": null, "
                + "\"action\": \"a:b\", \"resource\": \"*\", \"context\": null, \"explain\": null}");
        assertThat(request.context()).isEmpty();
        assertThat(request.explain()).isFalse();
    }

    @Test
    void theCallerIsNamedOneWayExactly() {
        refused(() -> authorize("{\"sessionToken\": \"t\", \"action\": \"a:b\", \"resource\": \"*\"}"),
                ErrorCode.MISSING_FIELD, "accessKeyId", "\"sessionToken\" comes with the \"accessKeyId\"");
        refused(() -> authorize("{\"principal\": \"p\", \"sessionToken\": \"t\", \"action\": \"a:b\", \"resource\": \"*\"}"),
                ErrorCode.INVALID_FIELD, "sessionToken", "not both");
    }

    @Test
    void aBatchSharesItsCallerAndExplainWithItsRequests() throws ApiException {
        List<CheckRequest> requests = batch("{\"requests\": [{\"action\": \"a:b\", \"resource\": \"r1\"}, "
                + "{\"action\": \"a:c\", \"resource\": \"r2\", \"explain\": false}], \"principal\": \"p\", \"explain\": true}");
        assertThat(requests).extracting(CheckRequest::principal, CheckRequest::action, CheckRequest::explain,
                CheckRequest::path).containsExactly(tuple("p", "a:b", true, "requests[0]"),
                        tuple("p", "a:c", true, "requests[1]"));
    }

    @Test
    void aBatchNamesTheFieldAtFault() {
        refused(() -> batch("{\"principal\": \"p\"}"), ErrorCode.MISSING_FIELD, "requests", "missing \"requests\"");
        refused(() -> batch("{\"principal\": \"p\", \"requests\": [{\"action\": \"a:b\"}]}"), ErrorCode.MISSING_FIELD,
                "requests[0].resource", "missing \"resource\"");
        refused(() -> batch("[{\"action\": \"a:b\", \"resource\": \"r\"}]"), ErrorCode.MISSING_FIELD, "[0].principal",
                "missing \"principal\"");
        refused(() -> batch("{\"requests\": 3}"), ErrorCode.INVALID_FIELD, "requests", "must be an array");
        refused(() -> batch("[1]"), ErrorCode.INVALID_FIELD, "[0]", "must be a request object, found a number");
        refused(() -> batch("{\"principals\": \"p\", \"requests\": []}"), ErrorCode.UNKNOWN_FIELD, "principals",
                "did you mean \"principal\"?");
        refused(() -> batch("\"x\""), ErrorCode.INVALID_FIELD, null, "found a string");
        String item = "{\"principal\": \"p\", \"action\": \"a:b\", \"resource\": \"r\"}";
        refused(() -> batch("[" + item + "," + item + "," + item + "," + item + "]"), ErrorCode.BATCH_TOO_LARGE, null,
                "at most 3 requests");
    }

    @Test
    void brokenJsonIsMalformedAndNestingStopsAtTheShape() {
        refused(() -> authorize("{\"principal\": \"p\", \"context\": {\"k\": [[[]]]}}"), ErrorCode.INVALID_FIELD,
                "context.k[0]", "found an array");
        refused(() -> authorize("{\"principal\": \"p\"\n,\n}"), ErrorCode.MALFORMED_JSON, null,
                "malformed JSON at line 3, column 1");
        refused(() -> authorize("   "), ErrorCode.MALFORMED_JSON, null, "the body is empty");
    }
}
