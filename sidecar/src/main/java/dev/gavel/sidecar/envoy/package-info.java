/**
 * Envoy's external authorization service ({@code envoy.service.auth.v3.Authorization}, gRPC), so
 * that Envoy's HTTP filter {@code envoy.filters.http.ext_authz} asks Gavel about each request.
 *
 * <h2>The flow of a check</h2>
 *
 * <pre>
 * ExtAuthzServer          grpc-java on Netty: the Unix socket (epoll) and/or loopback TCP, one listener
 *   AuthorizationService  Check: one check response per call, whatever happens
 *     CheckRequests       attributes.request.http and attributes.source to a GatewayRequest
 *     Gateway             (dev.gavel.gateway) SigV4, the mapper, the engine
 *     CheckResponses      the decision as ok_response headers, or denied_response with AWS's XML
 * </pre>
 *
 * <p>The package decides nothing: the gateway does, as it does for a gateway mounted on the HTTP
 * API. What this package owns is Envoy's wire: which fields carry the client's request, how Envoy
 * applies the headers an answer sets, and that a denial is always a check response, since Envoy
 * counts a gRPC error as a failure of the service, which {@code failure_mode_allow} lets through.
 */
package dev.gavel.sidecar.envoy;
