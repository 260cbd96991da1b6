package dev.gavel.gateway;

import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.policy.Finding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A gateway's mapping for an API of the user's own, read from a JSON route table: each route
 * names the methods and path template it matches and the IAM action, resource and condition keys
 * such a request asks for. {@code docs/gateway-routes.md} documents the format.
 *
 * <p>The first route in the table's order that matches a request's method and path decides what
 * it asks; a request no route matches is refused with {@code AccessDenied} (403), so that an
 * operation the table does not name never passes. Path placeholders match the request's
 * percent-decoded segments, and paths that servers read differently (an encoded {@code /},
 * {@code .} and {@code ..} segments, {@code ;}, control characters, invalid encodings) are
 * refused with {@code InvalidURI} (400).
 *
 * <p>Loading checks the whole table and reports every problem with its line, column and JSON
 * path; a table with any error is never built. Immutable and thread-safe: a new table is loaded
 * beside the old one and swapped in whole.
 */
public final class RouteTable implements RequestMapper {

    private final String service;
    private final List<Route> routes;
    private final List<Finding> warnings;

    RouteTable(String service, List<Route> routes, List<Finding> warnings) {
        this.service = service;
        this.routes = List.copyOf(routes);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads a route table file, strict UTF-8.
     *
     * @throws IOException when the file cannot be read or is not UTF-8
     * @throws RouteTableException when the table has errors; it lists them all
     */
    public static RouteTable load(Path file) throws IOException, RouteTableException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        }
        return parse(file.toString(), text);
    }

    /**
     * Reads a route table's text; {@code source} names it in findings, such as its file.
     *
     * @throws RouteTableException when the table has errors; it lists them all
     */
    public static RouteTable parse(String source, String text) throws RouteTableException {
        RouteTableReader.Result result = RouteTableReader.read(source, text);
        if (result.table() == null) {
            throw new RouteTableException(source, result.findings());
        }
        return result.table();
    }

    /** Every problem of a route table's text, errors and warnings, in source order: what {@code gavel validate} prints. */
    public static List<Finding> check(String source, String text) {
        return RouteTableReader.read(source, text).findings();
    }

    /** Whether a JSON text is meant as a route table: an object with a {@code Routes} member. */
    public static boolean isRouteTable(String text) {
        try {
            return new JsonReader(RouteTableReader.MAX_LENGTH, RouteTableReader.MAX_DEPTH).read(text)
                    instanceof JsonObject object && object.get("Routes") != null;
        } catch (JsonSyntaxException e) {
            return false;
        }
    }

    /** The table's {@code Service}: the SigV4 signing name requests must be scoped to. */
    @Override
    public String signingName() {
        return service;
    }

    /** The table's warnings, such as routes that never match. */
    public List<Finding> warnings() {
        return warnings;
    }

    /** How many routes the table has. */
    public int size() {
        return routes.size();
    }

    /** The first route's mapping that matches the request's method and path. */
    @Override
    public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
        List<String> segments = UriParts.segments(request.rawPath());
        for (Route route : routes) {
            if (!route.accepts(request.method())) {
                continue;
            }
            Map<String, String> placeholders = route.path().match(segments);
            if (placeholders != null) {
                return route.map(request, placeholders);
            }
        }
        throw new GatewayException("AccessDenied", 403, "No route of the route table matches " + request.method()
                + " " + request.rawPath() + ".");
    }

    @Override
    public String toString() {
        return "RouteTable[" + service + ", " + routes.size() + (routes.size() == 1 ? " route]" : " routes]");
    }
}
