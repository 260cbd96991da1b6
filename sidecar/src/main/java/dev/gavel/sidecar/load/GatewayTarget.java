package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway endpoint of the HTTP API on a Unix socket: NGINX's {@code auth_request} endpoint or
 * OPA's data API, driven with S3 requests as a gateway passes them on ({@link S3Calls}). The
 * server's status and sample come from the HTTP API itself, as for {@link HttpTarget}.
 */
final class GatewayTarget implements LoadTarget {

    /** The gateway endpoints gavel load drives. */
    enum Endpoint { nginx, opa }

    private final HttpTarget api;
    private final Endpoint endpoint;
    private final S3Calls.Credentials credentials;
    private final String region;
    private final Path socket;
    private final Map<Check, S3Calls.Call> calls = new HashMap<>();

    GatewayTarget(Path socket, Endpoint endpoint, S3Calls.Credentials credentials, String region) throws IOException {
        this.api = new HttpTarget(socket);
        this.socket = socket;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.region = region;
    }

    @Override
    public String describe() {
        return (endpoint == Endpoint.nginx ? "NGINX auth_request endpoint " + GatewayCodecs.NGINX_PATH
                : "OPA data API " + GatewayCodecs.OPA_PATH) + " of the " + api.describe() + "; S3 requests "
                + (credentials == null ? "unsigned (the anonymous caller)" : "signed by " + credentials);
    }

    @Override
    public int maxBatch() {
        return 1;
    }

    /**
     * The sampled checks that are S3 calls, each made the call a client would send and signed
     * once; as checks, they are asked by the access key that signs them.
     */
    @Override
    public List<Check> sample(int count, long seed) throws IOException {
        List<Check> drawn = api.sample(count, seed);
        List<Check> checks = new ArrayList<>();
        Clock clock = Clock.systemUTC();
        for (Check check : drawn) {
            List<S3Calls.Call> call = S3Calls.of(List.of(check), credentials, region, clock);
            if (call.isEmpty()) {
                continue;
            }
            Check asked = new Check(credentials == null ? "anonymous" : credentials.accessKeyId(),
                    credentials == null || credentials.sessionToken() == null ? "" : credentials.sessionToken(),
                    credentials != null, check.action(), check.resource(), List.of());
            calls.put(asked, call.get(0));
            checks.add(asked);
        }
        if (checks.isEmpty()) {
            throw new IOException("none of the " + drawn.size() + " sampled requests is an S3 object or bucket call "
                    + "that gavel load can send to a gateway endpoint");
        }
        return checks;
    }

    @Override
    public LoadConnection<HttpConnection.Prepared> connect() throws IOException {
        return new HttpConnection(socket, endpoint == Endpoint.nginx ? GatewayCodecs.nginx(calls)
                : GatewayCodecs.opa(calls));
    }

    @Override
    public void close() {
        api.close();
    }
}
