package dev.gavel.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's path segments and query parameters, percent-decoded as UTF-8. Paths that servers
 * read differently are refused rather than guessed at: an encoded {@code /} or {@code \} (a
 * backend that decodes before splitting sees other segments than Gavel), {@code .} or {@code ..}
 * segments (a backend that normalises sees another path), {@code ;} (servlet containers drop the
 * path parameters it starts, so {@code /orders/secret;x} would reach order {@code secret} as
 * Gavel decided order {@code secret;x}) and control characters (some servers cut the path at a
 * NUL).
 */
final class UriParts {

    private UriParts() {}

    /** The path's segments, decoded; {@code /} has none, and {@code /a/} has {@code a} and an empty one. */
    static List<String> segments(String rawPath) throws GatewayException {
        if (!rawPath.startsWith("/")) {
            throw invalidUri("the path \"" + rawPath + "\" does not start with \"/\"");
        }
        List<String> segments = new ArrayList<>();
        if (rawPath.length() == 1) {
            return segments;
        }
        int at = 1;
        while (true) {
            int end = rawPath.indexOf('/', at);
            String raw = rawPath.substring(at, end < 0 ? rawPath.length() : end);
            String segment = decode(raw, false);
            if (segment == null) {
                throw invalidUri("the path segment \"" + raw + "\" is not valid percent-encoded UTF-8");
            }
            if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0) {
                throw invalidUri("the path segment \"" + raw + "\" encodes a \"/\" or \"\\\", which servers read "
                        + "differently");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalidUri("the path has a \"" + raw + "\" segment, which servers read differently");
            }
            if (segment.indexOf(';') >= 0) {
                throw invalidUri("the path segment \"" + raw + "\" has a \";\", whose path parameters some servers "
                        + "drop");
            }
            if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw invalidUri("the path segment \"" + raw + "\" has a control character");
            }
            segments.add(segment);
            if (end < 0) {
                return segments;
            }
            at = end + 1;
        }
    }

    /**
     * One {@code name=value} pair of a query string, decoded as HTML forms encode them ({@code +}
     * is a space; no {@code =} is the empty value); a part that is not valid percent-encoded
     * UTF-8 is null.
     */
    record Pair(String raw, String name, String value) {
        boolean malformed() {
            return name == null || value == null;
        }
    }

    /** The pairs of a query string (or of a header written as one), in order; empty pairs are skipped. */
    static List<Pair> pairs(String rawQuery) {
        List<Pair> pairs = new ArrayList<>();
        if (rawQuery.isEmpty()) {
            return pairs;
        }
        for (String raw : rawQuery.split("&", -1)) {
            if (!raw.isEmpty()) {
                int equals = raw.indexOf('=');
                pairs.add(new Pair(raw, decode(equals < 0 ? raw : raw.substring(0, equals), true),
                        decode(equals < 0 ? "" : raw.substring(equals + 1), true)));
            }
        }
        return pairs;
    }

    /** Every value of the query parameter {@code name}, decoded as {@link #pairs} decodes them, in order. */
    static List<String> queryValues(String rawQuery, String name) throws GatewayException {
        List<String> values = new ArrayList<>(1);
        for (Pair pair : pairs(rawQuery)) {
            if (name.equals(pair.name())) {
                if (pair.value() == null) {
                    throw invalidUri("the query parameter \"" + name + "\" is not valid percent-encoded UTF-8");
                }
                values.add(pair.value());
            }
        }
        return values;
    }

    /** Percent-decodes UTF-8 text, {@code +} as a space in queries; null when malformed. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else {
                int codePoint = raw.codePointAt(i);
                bytes.put(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static GatewayException invalidUri(String message) {
        return new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI: " + message + ".");
    }
}
