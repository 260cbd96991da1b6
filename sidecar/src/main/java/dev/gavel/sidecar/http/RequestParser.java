package dev.gavel.sidecar.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.gavel.json.NameHints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bodies of {@code /v1/authorize} and {@code /v1/authorize/batch} with jackson-core's
 * streaming parser, straight from the body's bytes, into {@link CheckRequest}s.
 *
 * <pre>
 * authorize: {"principal": ARN | "accessKeyId": ID [, "sessionToken": T], "action": "svc:Action",
 *             "resource": ARN, "context": {"key": "v" | ["v1", "v2"]}, "explain": true | false}
 * batch:     {"principal"... , "explain": bool, "requests": [{"action", "resource", "context", "explain"}...]}
 *          | {"requests": [full authorize request...]} | [full authorize request...]
 * </pre>
 *
 * Everything about a request's shape is checked here, before anything is decided: the JSON's
 * syntax (with its line and column), required fields, types, unknown fields (with a hint when
 * one looks misspelt), exactly one way of naming the caller, and {@code service:Action}. (Context
 * keys that Gavel fills itself are refused when the request is decided, where the key's handle
 * is looked up anyway.) Context values may be strings, numbers or booleans (read as their
 * text), or arrays of them for a multivalued key.
 */
final class RequestParser {

    private static final int MAX_DEPTH = 16;
    private static final List<String> REQUEST_FIELDS = List.of("principal", "accessKeyId", "sessionToken", "action",
            "resource", "context", "explain");
    private static final List<String> BATCH_FIELDS = List.of("principal", "accessKeyId", "sessionToken", "explain",
            "requests");

    private final JsonFactory factory;
    private final int maxBatchSize;

    RequestParser(int maxBodyBytes, int maxBatchSize) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(maxBodyBytes)
                        .maxNumberLength(100)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.maxBatchSize = maxBatchSize;
    }

    /** The body of {@code /v1/authorize}. */
    CheckRequest authorize(byte[] body, int length) throws ApiException {
        try (JsonParser parser = factory.createParser(body, 0, length)) {
            JsonToken first = first(parser);
            if (first != JsonToken.START_OBJECT) {
                throw invalid("", "the request must be a JSON object, found " + typeName(first));
            }
            CheckRequest request = request(parser, "");
            requireCaller(request);
            end(parser);
            return request;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
    }

    /** The body of {@code /v1/authorize/batch}: its requests in order, each naming its caller. */
    List<CheckRequest> batch(byte[] body, int length) throws ApiException {
        try (JsonParser parser = factory.createParser(body, 0, length)) {
            JsonToken first = first(parser);
            List<CheckRequest> requests;
            if (first == JsonToken.START_ARRAY) {
                requests = items(parser, "");
                for (CheckRequest request : requests) {
                    requireCaller(request);
                }
            } else if (first == JsonToken.START_OBJECT) {
                requests = batchObject(parser);
            } else {
                throw invalid("", "the batch must be a JSON object with \"requests\", or an array of requests, found "
                        + typeName(first));
            }
            end(parser);
            return requests;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
    }

    private List<CheckRequest> batchObject(JsonParser parser) throws IOException, ApiException {
        String principal = null;
        String accessKeyId = null;
        String sessionToken = null;
        boolean explain = false;
        List<CheckRequest> items = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "principal" -> principal = string(parser, value, name);
                case "accessKeyId" -> accessKeyId = string(parser, value, name);
                case "sessionToken" -> sessionToken = string(parser, value, name);
                case "explain" -> explain = bool(value, name);
                case "requests" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw invalid(name, "must be an array of requests, found " + typeName(value));
                    }
                    items = items(parser, "requests");
                }
                default -> throw unknown(name, "", BATCH_FIELDS);
            }
        }
        if (items == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, "requests", "missing \"requests\"");
        }
        boolean shared = principal != null || accessKeyId != null || sessionToken != null;
        if (shared) {
            checkCaller(principal, accessKeyId, sessionToken, "");
        }
        List<CheckRequest> requests = new ArrayList<>(items.size());
        for (CheckRequest item : items) {
            if (!shared) {
                requireCaller(item);
                requests.add(item);
                continue;
            }
            if (item.principal() != null || item.accessKeyId() != null || item.sessionToken() != null) {
                String field = item.field(item.principal() != null ? "principal"
                        : item.accessKeyId() != null ? "accessKeyId" : "sessionToken");
                throw invalid(field, "the batch names its caller, and a request of it cannot name another");
            }
            requests.add(item.withCaller(principal, accessKeyId, sessionToken, explain));
        }
        return requests;
    }

    private List<CheckRequest> items(JsonParser parser, String path) throws IOException, ApiException {
        List<CheckRequest> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            String itemPath = path + "[" + items.size() + "]";
            if (items.size() == maxBatchSize) {
                throw new ApiException(ErrorCode.BATCH_TOO_LARGE, path.isEmpty() ? null : path,
                        "a batch holds at most " + maxBatchSize + " requests");
            }
            if (token != JsonToken.START_OBJECT) {
                throw invalid(itemPath, "must be a request object, found " + typeName(token));
            }
            items.add(request(parser, itemPath));
        }
        return items;
    }

    /** The fields of one request object, the parser just past its start. */
    private CheckRequest request(JsonParser parser, String path) throws IOException, ApiException {
        String principal = null;
        String accessKeyId = null;
        String sessionToken = null;
        String action = null;
        String resource = null;
        List<CheckRequest.Fact> context = List.of();
        boolean explain = false;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            String field = join(path, name);
            switch (name) {
                case "principal" -> principal = string(parser, value, field);
                case "accessKeyId" -> accessKeyId = string(parser, value, field);
                case "sessionToken" -> sessionToken = string(parser, value, field);
                case "action" -> action = string(parser, value, field);
                case "resource" -> resource = string(parser, value, field);
                case "context" -> context = context(parser, value, field);
                case "explain" -> explain = bool(value, field);
                default -> throw unknown(name, path, REQUEST_FIELDS);
            }
        }
        if (action == null) {
            throw missing(path, "action");
        }
        if (action.indexOf(':') <= 0) {
            throw invalid(join(path, "action"), "\"" + action + "\" is not service:Action");
        }
        if (resource == null) {
            throw missing(path, "resource");
        }
        if (principal != null || accessKeyId != null || sessionToken != null) {
            checkCaller(principal, accessKeyId, sessionToken, path);
        }
        return new CheckRequest(principal, accessKeyId, sessionToken, action, resource, context, explain, path);
    }

    private static void requireCaller(CheckRequest request) throws ApiException {
        if (request.principal() == null && request.accessKeyId() == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, request.field("principal"),
                    "missing \"principal\" (an ARN), or \"accessKeyId\" with \"sessionToken\" for temporary credentials");
        }
    }

    private static void checkCaller(String principal, String accessKeyId, String sessionToken, String path)
            throws ApiException {
        if (principal != null && (accessKeyId != null || sessionToken != null)) {
            throw invalid(join(path, accessKeyId != null ? "accessKeyId" : "sessionToken"),
                    "name the caller by \"principal\" or by \"accessKeyId\", not both");
        }
        if (principal == null && accessKeyId == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, join(path, "accessKeyId"),
                    "\"sessionToken\" comes with the \"accessKeyId\" it was issued with");
        }
    }

    private List<CheckRequest.Fact> context(JsonParser parser, JsonToken token, String path)
            throws IOException, ApiException {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid(path, "must be an object of context keys, found " + typeName(token));
        }
        List<CheckRequest.Fact> facts = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_ARRAY) {
                List<String> values = new ArrayList<>();
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY;
                        element = parser.nextToken()) {
                    values.add(scalar(parser, element, path, key, values.size()));
                }
                facts.add(new CheckRequest.Fact(key, null, List.copyOf(values)));
            } else {
                facts.add(new CheckRequest.Fact(key, scalar(parser, value, path, key, -1), null));
            }
        }
        return facts;
    }

    /** A context value as text; the error's field ({@code context.KEY[INDEX]}) is built only for an error. */
    private static String scalar(JsonParser parser, JsonToken token, String path, String key, int index)
            throws IOException, ApiException {
        return switch (token) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
            default -> throw invalid(path + "." + key + (index < 0 ? "" : "[" + index + "]"), "must be a string, a "
                    + "number, a boolean or an array of them, found " + typeName(token));
        };
    }

    private static String string(JsonParser parser, JsonToken token, String field) throws IOException, ApiException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw invalid(field, "must be a string, found " + typeName(token));
        }
        return parser.getText();
    }

    private static boolean bool(JsonToken token, String field) throws ApiException {
        return switch (token) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> throw invalid(field, "must be true or false, found " + typeName(token));
        };
    }

    private static JsonToken first(JsonParser parser) throws IOException, ApiException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, null, "the body is empty: expected a JSON object");
        }
        return first;
    }

    /** Nothing may follow the request but whitespace. */
    private static void end(JsonParser parser) throws IOException, ApiException {
        if (parser.nextToken() != null) {
            JsonLocation at = parser.currentTokenLocation();
            throw new ApiException(ErrorCode.MALFORMED_JSON, null, "malformed JSON at line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ": content after the end of the request");
        }
    }

    private static ApiException malformed(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ApiException(ErrorCode.MALFORMED_JSON, null, "malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    private static ApiException unknown(String name, String path, List<String> known) {
        String closest = NameHints.closest(name, known);
        return new ApiException(ErrorCode.UNKNOWN_FIELD, join(path, name), "unknown field \"" + name + "\""
                + (closest == null ? "" : ": did you mean \"" + closest + "\"?"));
    }

    private static ApiException missing(String path, String name) {
        return new ApiException(ErrorCode.MISSING_FIELD, join(path, name), "missing \"" + name + "\"");
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.INVALID_FIELD, field.isEmpty() ? null : field, message);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String typeName(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
