package dev.gavel.sidecar.envoy;

import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayDecision;
import dev.gavel.gateway.GatewayException;
import dev.gavel.report.DecisionIds;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@code envoy.service.auth.v3.Authorization/Check}: the client's request out of the check request,
 * decided by the gateway, answered as a check response.
 *
 * <p>Every call ends in a check response, never in a gRPC error: Envoy counts an error as a
 * failure of the service, which {@code failure_mode_allow} would let through. A check request
 * Gavel cannot read, or anything thrown while answering, is a denial.
 */
final class AuthorizationService extends AuthorizationGrpc.AuthorizationImplBase {

    private final Gateway gateway;

    AuthorizationService(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
        CheckResponse response;
        try {
            response = CheckResponses.of(decide(request));
        } catch (RuntimeException e) {
            // A bug: the client learns only that it is denied, the operator why.
            System.err.println("gavel: ext_authz: a check failed and was denied: " + e);
            response = CheckResponses.of(refusal());
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    private GatewayDecision decide(CheckRequest request) {
        try {
            return gateway.decide(CheckRequests.gatewayRequest(request));
        } catch (GatewayException e) {
            return new GatewayDecision(false, e.status(), e.code(), e.getMessage(), null, null, null,
                    DecisionIds.next(), 0, null);
        }
    }

    private static GatewayDecision refusal() {
        return new GatewayDecision(false, 403, "AccessDenied", "Access Denied: the request could not be decided",
                null, null, null, DecisionIds.next(), 0, null);
    }
}
