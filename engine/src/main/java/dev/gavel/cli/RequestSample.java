package dev.gavel.cli;

import dev.gavel.Engine;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Realistic requests drawn from a directory, as {@code gavel bench} draws its workload: for load
 * generators that drive Gavel from outside this package, such as the sidecar's {@code gavel load}.
 * Wildcard actions are expanded against the service catalog that {@code gavel validate} would
 * find, when there is one.
 */
public final class RequestSample {

    /** One request: a principal by ARN, an action, a resource, and single-valued request facts. */
    public record Request(String principal, String action, String resource, Map<String, String> context) {}

    /** The catalog, read once: it takes a good fraction of a second. */
    private static volatile Optional<ServiceCatalog> catalog;

    private RequestSample() {}

    /**
     * {@code size} requests from the directory's own users and role sessions, the same for the same
     * seed and directory; empty when no principal of the directory resolves.
     */
    public static List<Request> draw(Directory directory, int size, long seed, Clock clock) {
        Engine engine = Engine.of(directory, clock);
        Authorizer authorizer = new Authorizer(directory, clock);
        BenchCommand.Resolved resolved = BenchCommand.resolve(engine, authorizer, BenchWorkload.candidates(directory));
        List<Identity> identities = resolved.identities();
        if (identities.isEmpty() || size <= 0) {
            return List.of();
        }
        List<Request> requests = new ArrayList<>(size);
        for (BenchWorkload.Request drawn : BenchWorkload.requests(identities, authorizer, catalog(), size, seed)) {
            Map<String, String> context = new LinkedHashMap<>();
            context.put("aws:SecureTransport", "true");
            context.put("aws:ViaAWSService", "false");
            context.put("aws:SourceIp", drawn.sourceIp());
            context.put("aws:RequestedRegion", drawn.region());
            requests.add(new Request(identities.get(drawn.principal()).principalArn(), drawn.action(),
                    drawn.resource(), Collections.unmodifiableMap(context)));
        }
        return requests;
    }

    private static ServiceCatalog catalog() {
        Optional<ServiceCatalog> known = catalog;
        if (known == null) {
            try {
                known = Optional.ofNullable(ServiceCatalog.locate(null));
            } catch (IOException e) {
                known = Optional.empty();
            }
            catalog = known;
        }
        return known.orElse(null);
    }
}
