package dev.gavel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Finding;
import dev.gavel.policy.FindingCode;
import dev.gavel.policy.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Route tables: reading, matching requests to routes, and every problem a table can have, where it is. */
class RouteTableTest {

    static final String ORDER_ARN = "arn:aws:orders:us-east-1:111122223333:order/";

    /** The route the format's documentation opens with; cases below change one thing of it. */
    static final String GET_ORDER = "{\"Method\": \"GET\", \"Path\": \"/orders/{orderId}\", \"Operation\": \"GetOrder\", "
            + "\"Action\": \"orders:GetOrder\", \"Resource\": \"" + ORDER_ARN + "{orderId}\", \"Context\": {"
            + "\"orders:Channel\": {\"Header\": \"x-channel\"}, \"orders:Limit\": {\"Query\": \"limit\"}, "
            + "\"orders:OrderId\": {\"Path\": \"orderId\"}}}";

    static final Authentication ANONYMOUS = new Authentication(Authentication.Kind.ANONYMOUS, null, Instant.EPOCH);

    /** A table of these routes, one per line, as a user would write it. */
    static String table(String... routes) {
        return "{\n  \"Service\": \"execute-api\",\n  \"Routes\": [\n    " + String.join(",\n    ", routes) + "\n  ]\n}\n";
    }

    static String route(String method, String path, String action, String resource) {
        return "{\"Method\": " + (method.startsWith("[") ? method : "\"" + method + "\"") + ", \"Path\": \"" + path
                + "\", \"Action\": \"" + action + "\", \"Resource\": \"" + resource + "\"}";
    }

    static GatewayRequest request(String method, String path, String query, Map<String, List<String>> headers) {
        return new GatewayRequest(method, "https", "api.example.com", path, query, headers, "198.51.100.7", null);
    }

    static MappedRequest map(RouteTable table, String method, String path) throws GatewayException {
        return table.map(request(method, path, "", Map.of()), ANONYMOUS);
    }

    static GatewayException refusal(RouteTable table, GatewayRequest request) {
        try {
            MappedRequest mapped = table.map(request, ANONYMOUS);
            throw new AssertionError("expected a refusal, mapped to " + mapped);
        } catch (GatewayException e) {
            return e;
        }
    }

    // ---- reading and mapping

    @Test
    void theShippedExampleValidatesAndMapsItsCalls() throws Exception {
        RouteTable table = RouteTable.load(Path.of("corpus", "gateway", "routes.json"));

        assertThat(table.warnings()).isEmpty();
        assertThat(table.signingName()).isEqualTo("execute-api");
        MappedRequest item = map(table, "PUT", "/orders/o-7/items/sku-1");
        assertThat(item.operation()).isEqualTo("PutOrderItem");
        assertThat(item.resource()).isEqualTo("arn:aws:orders:eu-west-1:111122223333:order/o-7");
        assertThat(item.context().single("orders:Sku")).isEqualTo("sku-1");
        assertThat(map(table, "HEAD", "/orders/o-7").action()).isEqualTo("orders:GetOrder");
        assertThat(map(table, "GET", "/reports/2026/q4.csv").resource())
                .isEqualTo("arn:aws:orders:eu-west-1:111122223333:report/2026/q4.csv");
    }

    @Test
    void aRouteGivesItsActionResourceAndKeysFromHeaderQueryAndPath() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        MappedRequest mapped = table.map(request("GET", "/orders/o-42", "limit=10&other=x",
                Map.of("X-Channel", List.of(" web "))), ANONYMOUS);

        assertThat(mapped.operation()).isEqualTo("GetOrder");
        assertThat(mapped.action()).isEqualTo("orders:GetOrder");
        assertThat(mapped.resource()).isEqualTo(ORDER_ARN + "o-42");
        assertThat(mapped.context().single("orders:Channel")).isEqualTo("web");
        assertThat(mapped.context().single("orders:Limit")).isEqualTo("10");
        assertThat(mapped.context().single("orders:OrderId")).isEqualTo("o-42");
        assertThat(mapped.context().size()).isEqualTo(3);
    }

    @Test
    void aMissingHeaderOrQueryLeavesItsKeyOut() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        RequestContext context = map(table, "GET", "/orders/o-42").context();

        assertThat(context.get("orders:Channel")).isNull();
        assertThat(context.get("orders:Limit")).isNull();
        assertThat(context.single("orders:OrderId")).isEqualTo("o-42");
    }

    @Test
    void anOmittedOperationIsTheActionsName() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(route("GET", "/orders", "orders:ListOrders", "*")));

        MappedRequest mapped = map(table, "GET", "/orders");

        assertThat(mapped.operation()).isEqualTo("ListOrders");
        assertThat(mapped.resource()).isEqualTo("*");
    }

    @Test
    void pathAndQueryValuesArePercentDecodedAndHeadersTakenAsSent() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        MappedRequest mapped = table.map(request("GET", "/orders/a%20b%C3%BC+c", "limit=1%2B2+3",
                Map.of("x-channel", List.of("a%20b"))), ANONYMOUS);

        assertThat(mapped.resource()).isEqualTo(ORDER_ARN + "a b\u00fc+c");
        assertThat(mapped.context().single("orders:OrderId")).isEqualTo("a b\u00fc+c");
        assertThat(mapped.context().single("orders:Limit")).isEqualTo("1+2 3");
        assertThat(mapped.context().single("orders:Channel")).isEqualTo("a%20b");
    }

    @Test
    void literalSegmentsMatchDecodedAndCaseSensitively() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        assertThat(map(table, "GET", "/%6Frders/o-1").resource()).isEqualTo(ORDER_ARN + "o-1");
        assertThat(refusal(table, request("GET", "/Orders/o-1", "", Map.of())).code()).isEqualTo("AccessDenied");
    }

    @Test
    void aGreedyPlaceholderTakesOneOrMoreSegments() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(
                route("GET", "/files/{key+}", "files:GetFile", "arn:aws:files:::file/{key}")));

        assertThat(map(table, "GET", "/files/2026/q4/sales%20report.csv").resource())
                .isEqualTo("arn:aws:files:::file/2026/q4/sales report.csv");
        assertThat(map(table, "GET", "/files/one").resource()).isEqualTo("arn:aws:files:::file/one");
        for (String path : List.of("/files", "/files/", "/files/a/")) {
            assertThat(refusal(table, request("GET", path, "", Map.of())).status()).as(path).isEqualTo(403);
        }
    }

    @Test
    void theFirstRouteInTheTablesOrderThatMatchesDecides() throws Exception {
        String search = route("GET", "/orders/search", "orders:SearchOrders", "*");
        String get = route("GET", "/orders/{orderId}", "orders:GetOrder", ORDER_ARN + "{orderId}");

        RouteTable literalFirst = RouteTable.parse("routes.json", table(search, get));
        RouteTable placeholderFirst = RouteTable.parse("routes.json", table(get, search));

        assertThat(map(literalFirst, "GET", "/orders/search").action()).isEqualTo("orders:SearchOrders");
        assertThat(map(literalFirst, "GET", "/orders/o-1").action()).isEqualTo("orders:GetOrder");
        assertThat(map(placeholderFirst, "GET", "/orders/search").action()).isEqualTo("orders:GetOrder");
        assertThat(literalFirst.warnings()).isEmpty();
        assertThat(placeholderFirst.warnings()).extracting(Finding::code).containsExactly(FindingCode.UNREACHABLE_ROUTE);
    }

    @Test
    void methodsMatchExactlyOrAny() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(
                route("[\"GET\", \"HEAD\"]", "/orders", "orders:ListOrders", "*"),
                route("ANY", "/admin/{rest+}", "orders:Administer", "*")));

        assertThat(map(table, "GET", "/orders").action()).isEqualTo("orders:ListOrders");
        assertThat(map(table, "HEAD", "/orders").action()).isEqualTo("orders:ListOrders");
        assertThat(map(table, "PATCH", "/admin/settings").action()).isEqualTo("orders:Administer");
        GatewayException post = refusal(table, request("POST", "/orders", "", Map.of()));
        assertThat(post.code()).isEqualTo("AccessDenied");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.getMessage()).isEqualTo("No route of the route table matches POST /orders.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/orders", "/orders/", "/orders/o-1/", "/orders/o-1/items", "/", "/orders//"})
    void aPathNoRouteMatchesIsRefusedAsAccessDenied(String path) throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        GatewayException refused = refusal(table, request("GET", path, "", Map.of()));

        assertThat(refused.code()).isEqualTo("AccessDenied");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.getMessage()).contains("GET " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/orders/a%2Fb", "/orders/a%5cb", "/orders/..", "/x/../orders/o-1", "/orders/%2e%2E",
            "/orders/%2e", "/orders/%zz", "/orders/%C3", "/orders/%4", "orders/o-1", "/orders/o-1;jsessionid=x",
            "/orders/o-1%3Bx", "/orders/o-1%00.json", "/orders/a%0Ab", "/orders/a\\b"})
    void aPathServersReadDifferentlyIsRefusedAsInvalidUri(String path) throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER,
                route("ANY", "/{rest+}", "orders:Anything", "*")));

        GatewayException refused = refusal(table, request("GET", path, "", Map.of()));

        assertThat(refused.code()).isEqualTo("InvalidURI");
        assertThat(refused.status()).isEqualTo(400);
    }

    @Test
    void aKeyGivenTwiceIsRefusedUnlessDeclaredMultivalued() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(GET_ORDER));

        GatewayException header = refusal(table, request("GET", "/orders/o-1", "",
                Map.of("x-channel", List.of("web", "partner"))));
        GatewayException query = refusal(table, request("GET", "/orders/o-1", "limit=1&limit=2", Map.of()));

        assertThat(header.code()).isEqualTo("InvalidArgument");
        assertThat(header.status()).isEqualTo(400);
        assertThat(header.getMessage()).contains("header 'x-channel' is given 2 times");
        assertThat(query.getMessage()).contains("query parameter 'limit' is given 2 times");
    }

    @Test
    void aMultivaluedKeyTakesEveryValueAndIsMultivaluedEvenWithOne() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table("{\"Method\": \"POST\", \"Path\": \"/orders\", "
                + "\"Action\": \"orders:CreateOrder\", \"Resource\": \"*\", \"Context\": {"
                + "\"aws:TagKeys\": {\"Header\": \"x-tags\", \"Multivalued\": true}, "
                + "\"orders:Items\": {\"Query\": \"item\", \"Multivalued\": true}}}"));

        RequestContext many = table.map(request("POST", "/orders", "item=a&item=b%20c&other=1",
                Map.of("x-tags", List.of("team, cost-center", "project"))), ANONYMOUS).context();
        RequestContext one = table.map(request("POST", "/orders", "item=a", Map.of()), ANONYMOUS).context();

        assertThat(many.get("aws:TagKeys").values()).containsExactly("team", "cost-center", "project");
        assertThat(many.get("orders:Items").values()).containsExactly("a", "b c");
        assertThat(many.get("orders:Items").multivalued()).isTrue();
        assertThat(one.get("orders:Items").multivalued()).isTrue();
        assertThat(one.get("orders:Items").values()).containsExactly("a");
        assertThat(one.get("aws:TagKeys")).isNull();
    }

    // ---- problems in a table

    /**
     * A table with one problem: the code it earns, the text where the finding must point (its
     * first character), the JSON path, and words the message must hold.
     */
    record Bad(String name, String text, FindingCode code, String marker, String path, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String withRoute(String from, String to) {
        if (!GET_ORDER.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return table(GET_ORDER.replace(from, to));
    }

    static Stream<Bad> badTables() {
        String goodRoute = route("GET", "/orders", "orders:ListOrders", "*");
        return Stream.of(
                new Bad("not JSON", "{\n  \"Service\": \"execute-api\",\n  \"Routes\": [}\n", FindingCode.JSON_SYNTAX,
                        "}\n", "", "close marker"),
                new Bad("too deep", "{\"Routes\": " + "[".repeat(20) + "]".repeat(20) + "}", FindingCode.LIMIT_EXCEEDED,
                        null, "", "limit"),
                new Bad("not an object", "[]", FindingCode.INVALID_TYPE, "[]", "", "must be an object"),
                new Bad("no Service", "{\n  \"Routes\": [" + goodRoute + "]\n}", FindingCode.INVALID_ROUTE, "{\n",
                        "", "missing \"Service\""),
                new Bad("a Service that is no signing name", table(goodRoute).replace("\"execute-api\"",
                        "\"Execute API\""), FindingCode.INVALID_ROUTE, "\"Execute API\"", "Service", "signing name"),
                new Bad("misspelt Service", table(goodRoute).replace("\"Service\"", "\"Servise\""),
                        FindingCode.UNKNOWN_ROUTE_FIELD, "\"Servise\"", "Servise", "did you mean \"Service\"?"),
                new Bad("no Routes", "{\"Service\": \"execute-api\"}", FindingCode.INVALID_ROUTE, "{\"Service",
                        "", "missing \"Routes\""),
                new Bad("Routes not an array", "{\"Service\": \"execute-api\", \"Routes\": {}}",
                        FindingCode.INVALID_TYPE, "{}", "Routes", "must be an array"),
                new Bad("no routes", "{\"Service\": \"execute-api\", \"Routes\": []}", FindingCode.EMPTY_ARRAY, "[]",
                        "Routes", "at least one route"),
                new Bad("a route that is a string", table("\"GET /orders\""), FindingCode.INVALID_TYPE,
                        "\"GET /orders\"", "Routes[0]", "must be an object"),
                new Bad("misspelt Resource", withRoute("\"Resource\"", "\"Resorce\""),
                        FindingCode.UNKNOWN_ROUTE_FIELD, "\"Resorce\"", "Routes[0].Resorce",
                        "did you mean \"Resource\"?"),
                new Bad("a field given twice", withRoute("\"Operation\": \"GetOrder\"",
                        "\"Operation\": \"GetOrder\", \"Operation\": \"Get\""), FindingCode.DUPLICATE_KEY,
                        "\"Operation\": \"Get\"", "Routes[0].Operation", "given twice"),
                new Bad("no Action", withRoute("\"Action\": \"orders:GetOrder\", ", ""), FindingCode.INVALID_ROUTE,
                        "{\"Method", "Routes[0]", "missing \"Action\""),
                new Bad("no Method", withRoute("\"Method\": \"GET\", ", ""), FindingCode.INVALID_ROUTE, "{\"Path\": \"/orders",
                        "Routes[0]", "missing \"Method\""),
                new Bad("an Action of the wrong type", withRoute("\"orders:GetOrder\"", "5"), FindingCode.INVALID_TYPE,
                        "5,", "Routes[0].Action", "must be a string, found number"),
                new Bad("an action that is not service:Action", withRoute("\"orders:GetOrder\"",
                        "\"orders-GetOrder\""), FindingCode.INVALID_ACTION, "\"orders-GetOrder\"", "Routes[0].Action",
                        "service:Action"),
                new Bad("a wildcard action", withRoute("\"orders:GetOrder\"", "\"orders:Get*\""),
                        FindingCode.INVALID_ACTION, "\"orders:Get*\"", "Routes[0].Action", "one action"),
                new Bad("a method in lower case", withRoute("\"GET\"", "\"get\""), FindingCode.INVALID_ROUTE,
                        "\"get\"", "Routes[0].Method", "did you mean \"GET\"?"),
                new Bad("ANY among methods", withRoute("\"GET\"", "[\"GET\", \"ANY\"]"), FindingCode.INVALID_ROUTE,
                        "\"ANY\"", "Routes[0].Method[1]", "stands alone"),
                new Bad("no methods", withRoute("\"GET\"", "[]"), FindingCode.EMPTY_ARRAY, "[]", "Routes[0].Method",
                        "at least one method"),
                new Bad("a path without its leading slash", withRoute("\"/orders/{orderId}\"",
                        "\"orders/{orderId}\""), FindingCode.INVALID_ROUTE, "\"orders/{orderId}\"", "Routes[0].Path",
                        "must start with \"/\""),
                new Bad("a path with a trailing slash", withRoute("\"/orders/{orderId}\"", "\"/orders/{orderId}/\""),
                        FindingCode.INVALID_ROUTE, "\"/orders/{orderId}/\"", "Routes[0].Path", "must not end with"),
                new Bad("a path with an empty segment", withRoute("\"/orders/{orderId}\"", "\"/orders//{orderId}\""),
                        FindingCode.INVALID_ROUTE, "\"/orders//", "Routes[0].Path", "empty segment"),
                new Bad("a greedy placeholder before the end", withRoute("\"/orders/{orderId}\"",
                        "\"/orders/{orderId+}/items\""), FindingCode.INVALID_ROUTE, "\"/orders/{orderId+}/items\"",
                        "Routes[0].Path", "must be the last segment"),
                new Bad("a placeholder in part of a segment", withRoute("\"/orders/{orderId}\"",
                        "\"/orders/order-{orderId}\""), FindingCode.INVALID_ROUTE, "\"/orders/order-", "Routes[0].Path",
                        "whole {placeholder}"),
                new Bad("a placeholder twice", withRoute("\"/orders/{orderId}\"", "\"/orders/{orderId}/{orderId}\""),
                        FindingCode.INVALID_ROUTE, "\"/orders/{orderId}/{orderId}\"", "Routes[0].Path", "appears twice"),
                new Bad("a dot-dot segment", withRoute("\"/orders/{orderId}\"", "\"/orders/../{orderId}\""),
                        FindingCode.INVALID_ROUTE, "\"/orders/../", "Routes[0].Path", "\"..\" segment"),
                new Bad("a resource that is not an ARN", withRoute("\"" + ORDER_ARN + "{orderId}\"",
                        "\"order/{orderId}\""), FindingCode.INVALID_ARN, "\"order/{orderId}\"", "Routes[0].Resource",
                        "must be \"*\" or an ARN"),
                new Bad("a placeholder in the account", withRoute("\"" + ORDER_ARN + "{orderId}\"",
                        "\"arn:aws:orders:us-east-1:{orderId}:order/x\""), FindingCode.INVALID_ARN,
                        "\"arn:aws:orders:us-east-1:{", "Routes[0].Resource", "only in the ARN's resource part"),
                new Bad("an unclosed placeholder", withRoute("\"" + ORDER_ARN + "{orderId}\"",
                        "\"" + ORDER_ARN + "{orderId\""), FindingCode.INVALID_ARN, "\"" + ORDER_ARN + "{orderId\"",
                        "Routes[0].Resource", "without its \"}\""),
                new Bad("a resource placeholder the path does not define", withRoute("\"" + ORDER_ARN + "{orderId}\"",
                        "\"" + ORDER_ARN + "{orderID}\""), FindingCode.UNDEFINED_PLACEHOLDER,
                        "\"" + ORDER_ARN + "{orderID}", "Routes[0].Resource", "did you mean {orderId}?"),
                new Bad("a context placeholder the path does not define", withRoute("{\"Path\": \"orderId\"}",
                        "{\"Path\": \"id\"}"), FindingCode.UNDEFINED_PLACEHOLDER, "\"id\"",
                        "Routes[0].Context.orders:OrderId.Path", "{id} is not a placeholder of the path /orders/{orderId}"),
                new Bad("aws:SourceIp from a header", withRoute("\"orders:Channel\"", "\"aws:SourceIp\""),
                        FindingCode.RESERVED_CONTEXT_KEY, "\"aws:SourceIp\"", "Routes[0].Context.aws:SourceIp",
                        "never from what a client sends"),
                new Bad("a principal's key", withRoute("\"orders:Channel\"", "\"aws:PrincipalArn\""),
                        FindingCode.RESERVED_CONTEXT_KEY, "\"aws:PrincipalArn\"", "Routes[0].Context.aws:PrincipalArn",
                        "filled by Gavel"),
                new Bad("a principal tag", withRoute("\"orders:Channel\"", "\"aws:PrincipalTag/team\""),
                        FindingCode.RESERVED_CONTEXT_KEY, "\"aws:PrincipalTag/team\"",
                        "Routes[0].Context.aws:PrincipalTag/team", "filled by Gavel"),
                new Bad("a VPC endpoint's key", withRoute("\"orders:Channel\"", "\"aws:sourcevpce\""),
                        FindingCode.RESERVED_CONTEXT_KEY, "\"aws:sourcevpce\"", "Routes[0].Context.aws:sourcevpce",
                        "AWS itself"),
                new Bad("a key that is not service:name", withRoute("\"orders:Channel\"", "\"channel\""),
                        FindingCode.INVALID_ROUTE, "\"channel\"", "Routes[0].Context.channel", "not a condition key"),
                new Bad("a key given twice in another case", withRoute("\"orders:Limit\"", "\"Orders:channel\""),
                        FindingCode.DUPLICATE_KEY, "\"Orders:channel\"", "Routes[0].Context.Orders:channel",
                        "the first is \"orders:Channel\""),
                new Bad("a key from two places", withRoute("{\"Header\": \"x-channel\"}",
                        "{\"Header\": \"x-channel\", \"Query\": \"channel\"}"), FindingCode.INVALID_ROUTE,
                        "\"channel\"", "Routes[0].Context.orders:Channel.Query", "from one place"),
                new Bad("a key from nowhere", withRoute("{\"Header\": \"x-channel\"}", "{}"),
                        FindingCode.INVALID_ROUTE, "{}", "Routes[0].Context.orders:Channel", "missing where"),
                new Bad("a misspelt source", withRoute("{\"Header\": \"x-channel\"}", "{\"Headers\": \"x-channel\"}"),
                        FindingCode.UNKNOWN_ROUTE_FIELD, "\"Headers\"", "Routes[0].Context.orders:Channel.Headers",
                        "did you mean \"Header\"?"),
                new Bad("a header name with a space", withRoute("\"x-channel\"", "\"x channel\""),
                        FindingCode.INVALID_ROUTE, "\"x channel\"", "Routes[0].Context.orders:Channel.Header",
                        "not a header name"),
                new Bad("a multivalued path placeholder", withRoute("{\"Path\": \"orderId\"}",
                        "{\"Path\": \"orderId\", \"Multivalued\": true}"), FindingCode.INVALID_ROUTE, "true",
                        "Routes[0].Context.orders:OrderId.Multivalued", "one value"),
                new Bad("Multivalued as a string", withRoute("{\"Query\": \"limit\"}",
                        "{\"Query\": \"limit\", \"Multivalued\": \"yes\"}"), FindingCode.INVALID_TYPE, "\"yes\"",
                        "Routes[0].Context.orders:Limit.Multivalued", "true or false"),
                new Bad("Context as an array", withRoute(GET_ORDER.substring(GET_ORDER.indexOf("{\"orders:Channel"),
                        GET_ORDER.length() - 1), "[]"), FindingCode.INVALID_TYPE, "[]", "Routes[0].Context",
                        "must be an object"),
                new Bad("the same route twice", table(goodRoute, goodRoute.replace("{\"Method", "{ \"Method")),
                        FindingCode.UNREACHABLE_ROUTE, "{ \"Method", "Routes[1]",
                        "Routes[0] has the same method and path, GET /orders"),
                new Bad("a route after a catch-all", table(route("ANY", "/{proxy+}", "orders:Any", "*"), GET_ORDER),
                        FindingCode.UNREACHABLE_ROUTE, GET_ORDER, "Routes[1]",
                        "Routes[0], ANY /{proxy+}, matches every request it does"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTables")
    void eachProblemIsReportedWithItsLineColumnAndPath(Bad bad) {
        List<Finding> findings = RouteTable.check("routes.json", bad.text());

        assertThat(findings).as("findings").extracting(Finding::code).containsExactly(bad.code());
        Finding finding = findings.get(0);
        assertThat(finding.source()).isEqualTo("routes.json");
        assertThat(finding.location().path()).isEqualTo(bad.path());
        assertThat(finding.message()).contains(bad.says()).doesNotEndWith(".");
        if (!bad.path().isEmpty()) {
            assertThat(finding.message()).startsWith(bad.path() + ": ");
        }
        if (bad.marker() != null) {
            assertThat(bad.text().indexOf(bad.marker())).as("marker found once")
                    .isNotNegative().isEqualTo(bad.text().lastIndexOf(bad.marker()));
            assertThat(finding.location().line() + ":" + finding.location().column()).isEqualTo(at(bad.text(),
                    bad.marker()));
        }
    }

    /** {@code line:column} of the marker's first character. */
    static String at(String text, String marker) {
        int index = text.indexOf(marker);
        String before = text.substring(0, index);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        return line + ":" + (index - before.lastIndexOf('\n'));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTables")
    void anErrorFailsTheLoadAndAWarningDoesNot(Bad bad) {
        if (bad.code().severity() == Severity.ERROR) {
            assertThatThrownBy(() -> RouteTable.parse("routes.json", bad.text()))
                    .isInstanceOfSatisfying(RouteTableException.class, e -> {
                        assertThat(e.findings()).extracting(Finding::code).containsExactly(bad.code());
                        assertThat(e.getMessage()).contains("routes.json:" + e.findings().get(0).location() + ": ERROR "
                                + bad.code());
                    });
        } else {
            assertThat(catchWarnings(bad.text())).extracting(Finding::code).containsExactly(bad.code());
        }
    }

    private static List<Finding> catchWarnings(String text) {
        try {
            return RouteTable.parse("routes.json", text).warnings();
        } catch (RouteTableException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void everyRouteTableCodeHasABadTable() {
        Set<FindingCode> earned = badTables().map(Bad::code).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(FindingCode.class)));

        assertThat(earned).containsAll(EnumSet.of(FindingCode.INVALID_ROUTE, FindingCode.UNKNOWN_ROUTE_FIELD,
                FindingCode.UNDEFINED_PLACEHOLDER, FindingCode.RESERVED_CONTEXT_KEY, FindingCode.UNREACHABLE_ROUTE));
    }

    @Test
    void aTableWithSeveralProblemsReportsThemAllInSourceOrder() {
        String text = table(
                route("GET", "/orders/{orderId}", "orders:GetOrder", ORDER_ARN + "{order}"),
                route("get", "/orders", "orders:ListOrders", "*"),
                route("POST", "/orders/", "CreateOrder", "*"));

        assertThatThrownBy(() -> RouteTable.parse("routes.json", text))
                .isInstanceOfSatisfying(RouteTableException.class, e -> {
                    assertThat(e.findings()).extracting(f -> f.location().line() + ":" + f.code()).containsExactly(
                            "4:" + FindingCode.UNDEFINED_PLACEHOLDER, "5:" + FindingCode.INVALID_ROUTE,
                            "6:" + FindingCode.INVALID_ROUTE, "6:" + FindingCode.INVALID_ACTION);
                    assertThat(e.getMessage()).startsWith("the route table routes.json has 4 errors; nothing was loaded");
                });
    }

    @Test
    void routesThatOverlapWithoutCoveringLoadWithoutWarnings() throws Exception {
        RouteTable table = RouteTable.parse("routes.json", table(
                route("GET", "/orders/{orderId}", "orders:GetOrder", "*"),
                route("DELETE", "/orders/{orderId}", "orders:CancelOrder", "*"),
                route("GET", "/orders/{orderId}/items", "orders:ListItems", "*"),
                route("ANY", "/orders/{orderId}", "orders:Other", "*"),
                route("GET", "/{proxy+}", "orders:Fallback", "*"),
                route("GET", "/", "orders:Root", "*")));

        assertThat(table.warnings()).isEmpty();
        assertThat(table.size()).isEqualTo(6);
        assertThat(map(table, "PATCH", "/orders/o-1").action()).isEqualTo("orders:Other");
        assertThat(map(table, "GET", "/").action()).isEqualTo("orders:Root");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedBeforeReading(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("routes.json");
        Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});

        assertThatThrownBy(() -> RouteTable.load(file)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void onlyAnObjectWithRoutesIsTakenForARouteTable() {
        assertThat(RouteTable.isRouteTable(table(GET_ORDER))).isTrue();
        assertThat(RouteTable.isRouteTable("{\"Version\": \"2012-10-17\", \"Statement\": []}")).isFalse();
        assertThat(RouteTable.isRouteTable("{\"Routes\": ")).isFalse();
    }
}
