package dev.gavel.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * SigV4's canonical request: the method, the canonical path (as sent for S3; normalised and
 * encoded once more for every other service), the sorted canonical query, the signed headers
 * with their values folded, and the payload hash.
 */
final class CanonicalRequest {

    private static final HexFormat PERCENT_HEX = HexFormat.of().withUpperCase();

    /** A query parameter, decoded to read and encoded again for the canonical query string. */
    record QueryParameter(String name, String value, String canonicalName, String canonicalValue) {}

    private CanonicalRequest() {}

    /** The canonical request: method, path, query, signed headers and the payload hash, one a line. */
    static String build(SignedRequest request, List<QueryParameter> query, List<String> signedHeaders,
            String signedHeadersText, boolean presigned, String payloadHash, boolean s3) throws StsException {
        StringBuilder canonical = new StringBuilder(512);
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalPath(request.rawPath(), s3)).append('\n');
        canonical.append(canonicalQuery(query, presigned)).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                throw new StsException("SignatureDoesNotMatch",
                        "the request lacks the header '" + name + "' that SignedHeaders names");
            }
            canonical.append(name).append(':').append(canonicalHeaderValue(values)).append('\n');
        }
        canonical.append('\n').append(signedHeadersText).append('\n').append(payloadHash);
        return canonical.toString();
    }

    /** S3: the path as sent. Others: the path normalised, then encoded once more. */
    private static String canonicalPath(String rawPath, boolean s3) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        if (s3) {
            return rawPath;
        }
        return uriEncode(normalizePath(rawPath).getBytes(UTF_8), true);
    }

    /**
     * Dot segments resolved and redundant slashes dropped, as AWS's test suite asks
     * ({@code //example//} signs as {@code /example/}); a trailing slash stays only if the path
     * ended in one, as the SDKs sign {@code /a/b/..}.
     */
    private static String normalizePath(String path) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                kept.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                kept.addLast(segment);
            }
        }
        String normalized = "/" + String.join("/", kept);
        return kept.isEmpty() || !path.endsWith("/") ? normalized : normalized + "/";
    }

    private static String canonicalQuery(List<QueryParameter> query, boolean presigned) {
        StringJoiner canonical = new StringJoiner("&");
        query.stream()
                .filter(p -> !(presigned && p.name().equals("X-Amz-Signature")))
                .sorted(Comparator.comparing(QueryParameter::canonicalName)
                        .thenComparing(QueryParameter::canonicalValue))
                .forEach(p -> canonical.add(p.canonicalName() + "=" + p.canonicalValue()));
        return canonical.toString();
    }

    /**
     * Each value trimmed and every run of whitespace in it made one space, the values joined by
     * commas. The docs say "sequential spaces"; the AWS SDK for Java folds tabs, CR, LF, vertical
     * tabs and form feeds too, so a value with a tab signs only this way.
     */
    private static String canonicalHeaderValue(List<String> values) {
        StringJoiner joined = new StringJoiner(",");
        for (String value : values) {
            StringBuilder collapsed = new StringBuilder(value.length());
            boolean spaceDue = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ' ' || (c >= '\t' && c <= '\r')) {
                    spaceDue = collapsed.length() > 0;
                } else {
                    if (spaceDue) {
                        collapsed.append(' ');
                        spaceDue = false;
                    }
                    collapsed.append(c);
                }
            }
            joined.add(collapsed);
        }
        return joined.toString();
    }

    static List<QueryParameter> parseQuery(String rawQuery) {
        List<QueryParameter> parameters = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            byte[] name = percentDecode(equals < 0 ? pair : pair.substring(0, equals));
            byte[] value = percentDecode(equals < 0 ? "" : pair.substring(equals + 1));
            parameters.add(new QueryParameter(new String(name, UTF_8), new String(value, UTF_8),
                    uriEncode(name, false), uriEncode(value, false)));
        }
        return parameters;
    }

    /**
     * Percent-decodes to bytes. A {@code %} without two hex digits after it stands for itself; a
     * {@code +} stays a plus, as RFC 3986 reads a query.
     */
    private static byte[] percentDecode(String text) {
        byte[] raw = text.getBytes(UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && HexFormat.isHexDigit(raw[i + 1])
                    && HexFormat.isHexDigit(raw[i + 2])) {
                decoded.write(HexFormat.fromHexDigit(raw[i + 1]) * 16 + HexFormat.fromHexDigit(raw[i + 2]));
                i += 2;
            } else {
                decoded.write(raw[i]);
            }
        }
        return decoded.toByteArray();
    }

    /**
     * SigV4's {@code UriEncode}: every byte as {@code %XY} but the unreserved
     * {@code A-Za-z0-9-_.~}, and in a path {@code /}.
     */
    private static String uriEncode(byte[] bytes, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved || (keepSlash && c == '/')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(PERCENT_HEX.toHexDigits(b));
            }
        }
        return encoded.toString();
    }
}
