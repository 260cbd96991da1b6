package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a route takes one condition key's value from: a header, a query parameter or a path
 * placeholder. A key the request does not carry is left out. A key not declared multivalued takes
 * one value, and a request that gives it several is refused: as a multivalued key it would slip
 * past conditions without a set operator, a {@code Deny} among them.
 *
 * @param key the condition key, such as {@code orders:Channel}
 * @param from where the value comes from
 * @param name the header's, query parameter's or placeholder's name
 * @param multivalued whether the key is multivalued, for {@code ForAnyValue} and {@code ForAllValues}
 */
record ContextSource(String key, From from, String name, boolean multivalued) {

    /** The part of the request a value comes from, named as the route table names it. */
    enum From {
        HEADER("Header"), QUERY("Query"), PATH("Path");

        private final String field;

        From(String field) {
            this.field = field;
        }

        /** The route table's field for this source. */
        String field() {
            return field;
        }
    }

    /** Adds the key with its values from the request, when the request carries it. */
    void addTo(RequestContext.Builder context, GatewayRequest request, Map<String, String> placeholders)
            throws GatewayException {
        List<String> values = switch (from) {
            case HEADER -> headerValues(request);
            case QUERY -> UriParts.queryValues(request.rawQuery(), name);
            case PATH -> List.of(placeholders.get(name));
        };
        if (values.isEmpty()) {
            return;
        }
        if (multivalued) {
            context.putMultivalued(key, values);
        } else if (values.size() == 1) {
            context.put(key, values.get(0));
        } else {
            throw new GatewayException("InvalidArgument", 400, "The " + (from == From.HEADER ? "header" : "query "
                    + "parameter") + " '" + name + "' is given " + values.size() + " times; it must be given once.");
        }
    }

    /**
     * The header's values, each trimmed; a multivalued key also splits them at commas, since
     * HTTP lets a proxy join repeated headers into one.
     */
    private List<String> headerValues(GatewayRequest request) {
        List<String> sent = request.headerValues(name);
        if (!multivalued) {
            return sent.stream().map(String::strip).toList();
        }
        return sent.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::strip)
                .filter(value -> !value.isEmpty()).toList();
    }
}
