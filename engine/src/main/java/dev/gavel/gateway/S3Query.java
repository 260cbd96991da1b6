package dev.gavel.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An S3 request's query parameters, decoded: the subresource that selects the operation
 * ({@code ?acl}, {@code ?uploads}...) and the parameters the operation reads ({@code prefix},
 * {@code versionId}...). A presigned URL's own {@code X-Amz-*} parameters are left out.
 */
final class S3Query {

    /** The query parameters of a presigned URL, which say how it was signed and ask nothing. */
    private static final Set<String> PRESIGNING = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");

    private final Map<String, String> parameters;

    private S3Query(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /**
     * Decodes a raw query string. A name given twice is refused, since S3 and Gavel could then
     * read different values.
     */
    static S3Query parse(String rawQuery) throws GatewayException {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return new S3Query(parameters);
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            if (name == null || value == null) {
                throw new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI: the query "
                        + "parameter '" + pair + "' is not valid percent-encoded UTF-8.");
            }
            if (PRESIGNING.contains(name)) {
                continue;
            }
            if (parameters.putIfAbsent(name, value) != null) {
                throw new GatewayException("InvalidArgument", 400, "The query parameter '" + name
                        + "' is given more than once.");
            }
        }
        return new S3Query(parameters);
    }

    /** The parameter's decoded value ({@code ""} for {@code ?acl}), or null when absent. */
    String get(String name) {
        return parameters.get(name);
    }

    boolean has(String name) {
        return parameters.containsKey(name);
    }

    /** Every parameter by name, in the order given. */
    Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Percent-decodes UTF-8 text as S3 does, in a query and in a path alike: a raw {@code +} is a
     * space ({@code %2B} is a plus). Null when a {@code %} lacks two hex digits or the bytes are
     * not UTF-8.
     */
    static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length || !HexFormat.isHexDigit(raw[i + 1]) || !HexFormat.isHexDigit(raw[i + 2])) {
                    return null;
                }
                decoded.write(HexFormat.fromHexDigit(raw[i + 1]) * 16 + HexFormat.fromHexDigit(raw[i + 2]));
                i += 2;
            } else {
                decoded.write(raw[i] == '+' ? ' ' : raw[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
