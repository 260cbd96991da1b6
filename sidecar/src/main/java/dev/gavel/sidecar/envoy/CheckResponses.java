package dev.gavel.sidecar.envoy;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.gavel.gateway.GatewayDecision;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.util.Map;

/**
 * A gateway decision as Envoy's check response.
 *
 * <p>Allowed: status {@code OK}, and {@code ok_response.headers} for the upstream request with the
 * caller and the decision id. Each header is set with {@code OVERWRITE_IF_EXISTS_OR_ADD}, which
 * discards every copy the client sent, so that a client cannot forge {@code x-gavel-principal}. The
 * action is spelled out because an unset {@code append_action} reads as
 * {@code APPEND_IF_EXISTS_OR_ADD}, which would keep the client's copy beside Gavel's. Naming the
 * headers in {@code headers_to_remove} as well would be wrong: Envoy removes those after setting
 * the others, and so would remove Gavel's own.
 *
 * <p>Refused: status {@code UNAUTHENTICATED} when the caller was never established (a bad
 * signature, unknown keys, a check request Gavel cannot read), else {@code PERMISSION_DENIED};
 * Envoy denies on any status but {@code OK} and records it in its logs. The client sees
 * {@code denied_response}: the refusal's HTTP status, the AWS XML error body, and
 * {@code x-amz-request-id} and {@code x-gavel-decision-id}. Never {@code error_response}, which
 * Envoy treats as a failure of the service, and so lets through under {@code failure_mode_allow}.
 */
final class CheckResponses {

    private CheckResponses() {}

    static CheckResponse of(GatewayDecision decision) {
        if (decision.allowed()) {
            OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
            for (Map.Entry<String, String> header : decision.headers().entrySet()) {
                ok.addHeaders(overwrite(header.getKey(), header.getValue()));
            }
            return CheckResponse.newBuilder().setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
                    .setOkResponse(ok).build();
        }
        DeniedHttpResponse.Builder denied = DeniedHttpResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCodeValue(decision.status()))
                .addHeaders(overwrite("content-type", "application/xml"))
                .setBody(decision.errorXml());
        for (Map.Entry<String, String> header : decision.headers().entrySet()) {
            denied.addHeaders(overwrite(header.getKey(), header.getValue()));
        }
        Code code = decision.principal() == null ? Code.UNAUTHENTICATED : Code.PERMISSION_DENIED;
        return CheckResponse.newBuilder()
                .setStatus(Status.newBuilder().setCode(code.getNumber()).setMessage(decision.errorCode()))
                .setDeniedResponse(denied).build();
    }

    private static HeaderValueOption overwrite(String name, String value) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD).build();
    }
}
