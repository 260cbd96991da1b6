package dev.gavel.sidecar;

import dev.gavel.condition.IpRange;
import dev.gavel.gateway.GatewayOptions;
import dev.gavel.gateway.RequestMapper;
import dev.gavel.gateway.RouteTable;
import dev.gavel.gateway.RouteTableException;
import dev.gavel.gateway.S3Routes;
import dev.gavel.sidecar.envoy.ExtAuthzConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code gavel serve}'s gateway options: which gateways run (Envoy's ext_authz service, the
 * NGINX and OPA endpoints of the HTTP API), how they map requests (the S3 REST API, or a route
 * table), and whom they believe about the client's address.
 */
final class GatewayServeOptions {

    @Option(names = "--envoy-socket", paramLabel = "PATH",
            description = "Serve Envoy's ext_authz gRPC service (envoy.service.auth.v3) on this Unix socket.")
    Path envoySocket;

    @Option(names = "--envoy", paramLabel = "HOST:PORT",
            description = "Serve Envoy's ext_authz gRPC service on this loopback address: 127.0.0.1:PORT or "
                    + "[::1]:PORT (port 0 picks a free one).")
    String envoyTcp;

    @Option(names = "--envoy-max-message-bytes", paramLabel = "BYTES",
            description = "Largest check request Envoy may send, body included (default: "
                    + ExtAuthzConfig.DEFAULT_MAX_MESSAGE_BYTES + ").")
    int envoyMaxMessageBytes = ExtAuthzConfig.DEFAULT_MAX_MESSAGE_BYTES;

    @Option(names = "--gateway",
            description = "Answer NGINX's auth_request subrequests and OPA's data API on the HTTP API.")
    boolean httpGateways;

    @Option(names = "--gateway-routes", paramLabel = "FILE",
            description = "Map requests with this route table (docs/gateway-routes.md) instead of the S3 REST API.")
    Path routes;

    @Option(names = "--s3-endpoint", paramLabel = "HOST", split = ",",
            description = "A host name whose subdomains are buckets (virtual-hosted S3), beside AWS's own, such as "
                    + "s3.localhost; repeat or separate with commas.")
    List<String> s3Endpoints = new ArrayList<>();

    @Option(names = "--gateway-region", paramLabel = "REGION",
            description = "Refuse signatures scoped to any other region (default: take any, as aws:RequestedRegion).")
    String region;

    @Option(names = "--forwarded-for", paramLabel = "HEADER", defaultValue = "X-Forwarded-For",
            description = "The header naming the client's address when a trusted proxy forwards a request: believed "
                    + "from Unix-socket peers and --trusted-proxy addresses only (default: ${DEFAULT-VALUE}).")
    String forwardedFor;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR", split = ",",
            description = "An address or range whose forwarded header is believed, such as 127.0.0.1/32; repeat or "
                    + "separate with commas.")
    List<String> trustedProxies = new ArrayList<>();

    /** Whether Envoy's service runs. */
    boolean envoy() {
        return envoySocket != null || envoyTcp != null;
    }

    /** Whether any gateway runs. */
    boolean any() {
        return envoy() || httpGateways;
    }

    /** The mapping the gateways share: the route table given, or the S3 REST API. */
    RequestMapper mapper() throws IOException, RouteTableException {
        return routes != null ? RouteTable.load(routes) : S3Routes.create(s3Endpoints.toArray(String[]::new));
    }

    /**
     * The gateways' options: region, forwarded header and proxies; decision ids are the
     * process's, as the HTTP API's.
     *
     * @throws IllegalArgumentException naming a --trusted-proxy that is not an address or range
     */
    GatewayOptions options() {
        List<IpRange> proxies = new ArrayList<>();
        for (String proxy : trustedProxies) {
            IpRange range = IpRange.parse(proxy.trim());
            if (range == null) {
                throw new IllegalArgumentException("--trusted-proxy " + proxy + " is neither an IP address nor a CIDR "
                        + "range such as 10.0.0.0/8");
            }
            proxies.add(range);
        }
        return GatewayOptions.defaults().withRegion(region).withForwardedFor(forwardedFor, proxies);
    }
}
