/**
 * Gateways on the sidecar's HTTP API for proxies that ask someone else before they pass a request:
 * NGINX's {@code auth_request} ({@link dev.gavel.sidecar.gateway.NginxAuthRequest}, configured by
 * {@code scripts/nginx-gavel.conf}) and OPA's data API ({@link dev.gavel.sidecar.gateway.OpaDataApi},
 * for OPA-Envoy's and Kong's input).
 *
 * <h2>The flow of a request</h2>
 *
 * <pre>
 * NginxAuthRequest   a subrequest's headers: the client's request and its own headers
 *   OriginalRequest  X-Original-* and the client's headers into a GatewayRequest
 *   Refusals         a refusal as header values: ASCII, the XML body on one line
 * OpaDataApi         POST /v1/data/gavel[/allow|/decision], the body read without blocking
 *   OpaInput         input.attributes.request.http (OPA-Envoy) or input.request.http (Kong)
 * </pre>
 *
 * <p>Both ask the engine's {@link dev.gavel.gateway.Gateway}, which authenticates, maps and
 * decides; the package owns the wire: what each proxy sends, what it understands back, and
 * refusing what it cannot read rather than guessing.
 */
package dev.gavel.sidecar.gateway;
