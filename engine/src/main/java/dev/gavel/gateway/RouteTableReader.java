package dev.gavel.gateway;

import dev.gavel.directory.Authorizer;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.json.NameHints;
import dev.gavel.json.Position;
import dev.gavel.policy.Finding;
import dev.gavel.policy.FindingCode;
import dev.gavel.policy.Severity;
import dev.gavel.policy.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a route table's JSON and checks all of it, so that one reading reports every problem
 * with its line, column and JSON path. A table is built only when no problem is an error.
 */
final class RouteTableReader {

    /** What reading a table gave: the table, or null when any finding is an error; findings in source order. */
    record Result(RouteTable table, List<Finding> findings) {}

    static final int MAX_LENGTH = 8 << 20;
    static final int MAX_DEPTH = 16;

    private static final List<String> TABLE_FIELDS = List.of("Service", "Routes", "Description");
    private static final List<String> ROUTE_FIELDS = List.of("Method", "Path", "Operation", "Action", "Resource",
            "Context", "Description");
    private static final List<String> SOURCE_FIELDS = List.of("Header", "Query", "Path", "Multivalued");

    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z-]*");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*:[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern CONTEXT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*:[^\\s:][^\\s]*");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * Keys only AWS's network and services set, which a request's own header or query must never
     * be believed about, in lower case. Gavel's and the gateway's own keys are refused as well.
     */
    private static final Set<String> NETWORK_KEYS = Set.of("aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip",
            "aws:sourcevpcarn", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:viaawsservice",
            "aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner",
            "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4");

    private final String source;
    private final List<Finding> findings = new ArrayList<>();
    /** The known names that each object's unknown members were hinted at: not reported missing as well. */
    private final Map<JsonObject, Set<String>> misspelt = new IdentityHashMap<>();

    private RouteTableReader(String source) {
        this.source = source;
    }

    /** Reads and checks a table's text; {@code source} names it in findings, such as its file. */
    static Result read(String source, String text) {
        return new RouteTableReader(source).read(text);
    }

    private Result read(String text) {
        JsonValue root;
        try {
            root = new JsonReader(MAX_LENGTH, MAX_DEPTH).read(text);
        } catch (JsonSyntaxException e) {
            add(e.limitExceeded() ? FindingCode.LIMIT_EXCEEDED : FindingCode.JSON_SYNTAX, e.position(), "",
                    e.getMessage());
            return result(null);
        }
        if (!(root instanceof JsonObject table)) {
            add(FindingCode.INVALID_TYPE, root.start(), "", "a route table must be an object, found " + root.typeName());
            return result(null);
        }
        fields(table, TABLE_FIELDS, "");
        String service = string(table, "Service", "", true);
        if (service != null && !SERVICE.matcher(service).matches()) {
            add(FindingCode.INVALID_ROUTE, table.get("Service").start(), "Service", "\"" + service + "\" is not a "
                    + "SigV4 signing name: lower-case letters, digits and \"-\", such as execute-api");
        }
        string(table, "Description", "", false);
        List<Route> routes = routes(table);
        unreachable(routes, table);
        boolean failed = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        List<Finding> warnings = findings.stream().filter(f -> f.severity() != Severity.ERROR).toList();
        return result(failed ? null : new RouteTable(service, routes, warnings));
    }

    private Result result(RouteTable table) {
        findings.sort(Finding.SOURCE_ORDER);
        return new Result(table, List.copyOf(findings));
    }

    /** The routes, each read even when another is broken; only well-formed ones are returned. */
    private List<Route> routes(JsonObject table) {
        JsonValue value = table.get("Routes");
        if (value == null) {
            missing(table, "Routes", "");
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            add(FindingCode.INVALID_TYPE, value.start(), "Routes", "must be an array of routes, found "
                    + value.typeName());
            return List.of();
        }
        if (array.elements().isEmpty()) {
            add(FindingCode.EMPTY_ARRAY, array.start(), "Routes", "a route table needs at least one route");
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            Route route = route(array.elements().get(i), i);
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    private Route route(JsonValue value, int index) {
        String path = "Routes[" + index + "]";
        if (!(value instanceof JsonObject route)) {
            add(FindingCode.INVALID_TYPE, value.start(), path, "a route must be an object, found " + value.typeName());
            return null;
        }
        int before = errors();
        fields(route, ROUTE_FIELDS, path);
        Set<String> methods = methods(route, path);
        PathTemplate template = pathTemplate(route, path);
        String action = string(route, "Action", path, true);
        if (action != null && !ACTION.matcher(action).matches()) {
            add(FindingCode.INVALID_ACTION, route.get("Action").start(), path + ".Action", "\"" + action
                    + "\" is not one action, service:Action, such as orders:GetOrder");
        }
        String operation = string(route, "Operation", path, false);
        if (operation != null && operation.isBlank()) {
            add(FindingCode.INVALID_ROUTE, route.get("Operation").start(), path + ".Operation", "must not be empty");
        }
        string(route, "Description", path, false);
        ResourceTemplate resource = resource(route, path, template);
        List<ContextSource> context = context(route, path, template);
        if (errors() > before) {
            return null;
        }
        String name = operation != null ? operation : action.substring(action.indexOf(':') + 1);
        return new Route(index, methods, template, name, action, resource, context);
    }

    private Set<String> methods(JsonObject route, String path) {
        JsonValue value = route.get("Method");
        String at = path + ".Method";
        if (value == null) {
            missing(route, "Method", path);
            return Set.of();
        }
        List<JsonValue> elements = value instanceof JsonArray array ? array.elements() : List.of(value);
        if (value instanceof JsonArray array && array.elements().isEmpty()) {
            add(FindingCode.EMPTY_ARRAY, value.start(), at, "give at least one method, or \"ANY\"");
        }
        Set<String> methods = new LinkedHashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonValue element = elements.get(i);
            String elementPath = value instanceof JsonArray ? at + "[" + i + "]" : at;
            if (!(element instanceof JsonString string)) {
                add(FindingCode.INVALID_TYPE, element.start(), elementPath, "must be a method name or an array of "
                        + "them, found " + element.typeName());
                continue;
            }
            String method = string.value();
            if (method.equals("ANY")) {
                if (elements.size() > 1) {
                    add(FindingCode.INVALID_ROUTE, element.start(), elementPath, "\"ANY\" stands alone, not in a "
                            + "list of methods");
                }
                continue;
            }
            if (!METHOD.matcher(method).matches()) {
                String upper = method.toUpperCase(Locale.ROOT);
                add(FindingCode.INVALID_ROUTE, element.start(), elementPath, "\"" + method + "\" is not an HTTP "
                        + "method in upper case" + (METHOD.matcher(upper).matches() ? ": did you mean \"" + upper
                        + "\"?" : ", such as GET, or \"ANY\""));
                continue;
            }
            methods.add(method);
        }
        return methods;
    }

    private PathTemplate pathTemplate(JsonObject route, String path) {
        String text = string(route, "Path", path, true);
        if (text == null) {
            return null;
        }
        try {
            return PathTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            add(FindingCode.INVALID_ROUTE, route.get("Path").start(), path + ".Path", "path template \"" + text
                    + "\" " + e.getMessage());
            return null;
        }
    }

    private ResourceTemplate resource(JsonObject route, String path, PathTemplate template) {
        String text = string(route, "Resource", path, true);
        if (text == null) {
            return null;
        }
        Position at = route.get("Resource").start();
        ResourceTemplate resource;
        try {
            resource = ResourceTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            add(FindingCode.INVALID_ARN, at, path + ".Resource", "\"" + text + "\" " + e.getMessage());
            return null;
        }
        for (String name : resource.variables()) {
            defined(template, name, at, path + ".Resource");
        }
        return resource;
    }

    /** Reports a placeholder the path does not define; a path that did not parse defines nothing to check. */
    private void defined(PathTemplate template, String name, Position at, String path) {
        if (template != null && !template.variables().contains(name)) {
            String hint = NameHints.closest(name, template.variables());
            add(FindingCode.UNDEFINED_PLACEHOLDER, at, path, "{" + name + "} is not a placeholder of the path "
                    + template + (hint == null ? "" : ": did you mean {" + hint + "}?"));
        }
    }

    private List<ContextSource> context(JsonObject route, String path, PathTemplate template) {
        JsonValue value = route.get("Context");
        String at = path + ".Context";
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonObject keys)) {
            add(FindingCode.INVALID_TYPE, value.start(), at, "must be an object of condition keys, found "
                    + value.typeName());
            return List.of();
        }
        Map<String, String> seen = new HashMap<>();
        List<ContextSource> sources = new ArrayList<>();
        for (JsonObject.Member member : keys.members()) {
            String key = member.name();
            String keyPath = at + "." + key;
            String earlier = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
            if (earlier != null) {
                add(FindingCode.DUPLICATE_KEY, member.namePosition(), keyPath, "the key \"" + key + "\" is given "
                        + "again (condition keys ignore case; the first is \"" + earlier + "\")");
                continue;
            }
            if (!CONTEXT_KEY.matcher(key).matches()) {
                add(FindingCode.INVALID_ROUTE, member.namePosition(), keyPath, "\"" + key + "\" is not a condition "
                        + "key, service:name, such as orders:Channel");
            } else if (reserved(key)) {
                add(FindingCode.RESERVED_CONTEXT_KEY, member.namePosition(), keyPath, "\"" + key + "\" is filled by "
                        + "Gavel, the gateway or AWS itself, never from what a client sends");
            }
            ContextSource source = contextSource(key, member.value(), keyPath, template);
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    private ContextSource contextSource(String key, JsonValue value, String path, PathTemplate template) {
        if (!(value instanceof JsonObject object)) {
            add(FindingCode.INVALID_TYPE, value.start(), path, "must be an object naming a Header, Query or Path, "
                    + "found " + value.typeName());
            return null;
        }
        fields(object, SOURCE_FIELDS, path);
        ContextSource.From from = null;
        String name = null;
        for (ContextSource.From candidate : ContextSource.From.values()) {
            String given = string(object, candidate.field(), path, false);
            if (object.get(candidate.field()) == null) {
                continue;
            }
            if (from != null) {
                add(FindingCode.INVALID_ROUTE, object.get(candidate.field()).start(), path + "." + candidate.field(),
                        "a key takes its value from one place; this one already names its " + from.field());
                return null;
            }
            from = candidate;
            name = given;
        }
        if (from == null) {
            if (misspelt.containsKey(object)) {
                return null;
            }
            add(FindingCode.INVALID_ROUTE, object.start(), path, "missing where the value comes from: \"Header\", "
                    + "\"Query\" or \"Path\"");
            return null;
        }
        if (name == null) {
            return null;
        }
        Position at = object.get(from.field()).start();
        String fieldPath = path + "." + from.field();
        if (name.isEmpty()) {
            add(FindingCode.INVALID_ROUTE, at, fieldPath, "must not be empty");
        } else if (from == ContextSource.From.HEADER && !HEADER.matcher(name).matches()) {
            add(FindingCode.INVALID_ROUTE, at, fieldPath, "\"" + name + "\" is not a header name");
        } else if (from == ContextSource.From.PATH) {
            defined(template, name, at, fieldPath);
        }
        boolean multivalued = bool(object, "Multivalued", path);
        if (multivalued && from == ContextSource.From.PATH) {
            add(FindingCode.INVALID_ROUTE, object.get("Multivalued").start(), path + ".Multivalued",
                    "a path placeholder has one value");
        }
        return new ContextSource(key, from, name, multivalued);
    }

    /** Whether a route may not supply this key: Gavel, the gateway or AWS's network fills it. */
    static boolean reserved(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return Authorizer.isFilledKey(key) || NETWORK_KEYS.contains(lower)
                || Gateway.REQUEST_KEYS.stream().anyMatch(k -> k.equalsIgnoreCase(key));
    }

    /** Warns of each route an earlier one always matches first. */
    private void unreachable(List<Route> routes, JsonObject table) {
        if (routes.isEmpty()) {
            return;
        }
        JsonArray array = (JsonArray) table.get("Routes");
        for (int j = 0; j < routes.size(); j++) {
            Route later = routes.get(j);
            for (int i = 0; i < j; i++) {
                Route earlier = routes.get(i);
                if (earlier.covers(later)) {
                    boolean same = earlier.methods().equals(later.methods())
                            && earlier.path().toString().equals(later.path().toString());
                    add(FindingCode.UNREACHABLE_ROUTE, array.elements().get(later.index()).start(),
                            "Routes[" + later.index() + "]", "never matches: " + (same ? "Routes[" + earlier.index()
                                    + "] has the same method and path, " + earlier.describe()
                                    : "Routes[" + earlier.index() + "], " + earlier.describe()
                                            + ", matches every request it does")
                                    + ", and the first route that matches decides");
                    break;
                }
            }
        }
    }

    /** Reports duplicate members and members the format does not have, with the nearest known name. */
    private void fields(JsonObject object, List<String> known, String path) {
        Set<String> names = new HashSet<>();
        for (JsonObject.Member member : object.members()) {
            String name = member.name();
            String memberPath = path.isEmpty() ? name : path + "." + name;
            if (!names.add(name)) {
                add(FindingCode.DUPLICATE_KEY, member.namePosition(), memberPath, "\"" + name + "\" is given twice");
            } else if (!known.contains(name)) {
                String hint = NameHints.closest(name, known);
                if (hint != null) {
                    misspelt.computeIfAbsent(object, o -> new HashSet<>()).add(hint);
                }
                add(FindingCode.UNKNOWN_ROUTE_FIELD, member.namePosition(), memberPath, "unknown field \"" + name
                        + "\"" + (hint == null ? "; the fields are " + String.join(", ", known)
                                : ": did you mean \"" + hint + "\"?"));
            }
        }
    }

    /** The member's string, or null; a missing required member and a non-string are reported. */
    private String string(JsonObject object, String name, String path, boolean required) {
        JsonValue value = object.get(name);
        if (value == null) {
            if (required) {
                missing(object, name, path);
            }
            return null;
        }
        if (value instanceof JsonString string) {
            return string.value();
        }
        add(FindingCode.INVALID_TYPE, value.start(), path.isEmpty() ? name : path + "." + name, "must be a string, "
                + "found " + value.typeName());
        return null;
    }

    /** Reports a missing member, unless a misspelt member was already reported as meaning it. */
    private void missing(JsonObject object, String name, String path) {
        if (!misspelt.getOrDefault(object, Set.of()).contains(name)) {
            add(FindingCode.INVALID_ROUTE, object.start(), path, "missing \"" + name + "\"");
        }
    }

    private boolean bool(JsonObject object, String name, String path) {
        JsonValue value = object.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof JsonBoolean flag) {
            return flag.value();
        }
        add(FindingCode.INVALID_TYPE, value.start(), path + "." + name, "must be true or false, found "
                + value.typeName());
        return false;
    }

    private int errors() {
        return (int) findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    }

    private void add(FindingCode code, Position at, String path, String message) {
        findings.add(new Finding(code, path.isEmpty() ? message : path + ": " + message, source,
                new SourceLocation(at.line(), at.column(), path)));
    }
}
