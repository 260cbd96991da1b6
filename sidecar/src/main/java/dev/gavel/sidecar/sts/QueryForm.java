package dev.gavel.sidecar.sts;

import dev.gavel.sts.StsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the parameters of an AWS query request: {@code application/x-www-form-urlencoded} text, in
 * a POST body or a query string. Pairs are separated by {@code &}, {@code +} is a space and
 * {@code %XX} a byte, and the bytes are UTF-8. A name without {@code =} has the empty value.
 *
 * <p>Strict, so that a request is never read in a way its client did not mean: a malformed escape,
 * bytes that are not UTF-8, an empty name and a name given twice are each refused with
 * {@code InvalidQueryParameter}, naming the parameter.
 */
final class QueryForm {

    private QueryForm() {}

    /** The parameters in the order given; {@code text} may be null or empty for none. */
    static Map<String, String> parse(String text) throws StsException {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return parameters;
        }
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                String pair = text.substring(start, end);
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), null);
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name);
                if (name.isEmpty()) {
                    throw invalid("a parameter has no name: \"" + pair + "\"");
                }
                if (parameters.putIfAbsent(name, value) != null) {
                    throw invalid("the parameter " + name + " is given more than once");
                }
            }
            start = end + 1;
        }
        return parameters;
    }

    /** Decodes one name or value; {@code name} is the parameter a value belongs to, for messages. */
    private static String decode(String encoded, String name) throws StsException {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return encoded;
        }
        String what = name == null ? "the parameter name \"" + encoded + "\"" : "the value of " + name;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw invalid(what + " has a malformed escape at character " + (i + 1)
                            + ": % must be followed by two hexadecimal digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    utf8 = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalid(what + " is not UTF-8 once decoded");
        }
    }

    private static StsException invalid(String message) {
        return new StsException(StsErrors.INVALID_QUERY_PARAMETER, message);
    }
}
