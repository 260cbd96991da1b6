package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One route of a {@link RouteTable}: the requests it matches (methods and a path template) and
 * what they ask in IAM's terms.
 *
 * @param index the route's place in its table, from 0
 * @param methods the methods it matches; empty for any method
 * @param path the path template
 * @param operation the operation's name for messages and logs
 * @param action the IAM action
 * @param resource the resource template
 * @param context the condition keys it takes from the request
 */
record Route(int index, Set<String> methods, PathTemplate path, String operation, String action,
        ResourceTemplate resource, List<ContextSource> context) {

    Route {
        methods = Set.copyOf(methods);
        context = List.copyOf(context);
    }

    /** Whether the route matches requests with this method. */
    boolean accepts(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** Whether every request {@code later} matches, this route matches too. */
    boolean covers(Route later) {
        boolean allMethods = methods.isEmpty() || !later.methods.isEmpty() && methods.containsAll(later.methods);
        return allMethods && path.covers(later.path);
    }

    /** The request in IAM's terms, given the values of the path's placeholders. */
    MappedRequest map(GatewayRequest request, Map<String, String> placeholders) throws GatewayException {
        RequestContext.Builder keys = RequestContext.builder();
        for (ContextSource source : context) {
            source.addTo(keys, request, placeholders);
        }
        return new MappedRequest(operation, action, resource.expand(placeholders), keys.build());
    }

    /** {@code GET /orders/{orderId}}, as messages name a route. */
    String describe() {
        return (methods.isEmpty() ? "ANY" : String.join("|", methods.stream().sorted().toList())) + " " + path;
    }
}
