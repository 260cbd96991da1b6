package dev.gavel.sidecar.sts;

import dev.gavel.sts.SignedRequest;
import dev.gavel.sts.StsException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An STS query request as it arrived: nothing decoded, so that its signature can be checked
 * against exactly what the client signed. Its parameters are those of the query string and, for a
 * POST, those of its {@code application/x-www-form-urlencoded} body, the signature's own
 * ({@code X-Amz-Credential}... of a presigned URL) left out.
 *
 * @param headers by lower-case name, each with its values in the order received
 * @param body the body, empty for none
 */
record QueryRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** The query parameters of a presigned URL, which carry its signature rather than the action's. */
    private static final Set<String> SIGNATURE_PARAMETERS = Set.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");

    /** The request as the SigV4 verifier reads it. */
    SignedRequest signed() {
        return new SignedRequest(method, rawPath, rawQuery, headers, body);
    }

    /** The action's parameters, from the query string and a form body; a name given in both is refused. */
    Map<String, String> parameters() throws StsException {
        Map<String, String> parameters = new LinkedHashMap<>();
        QueryForm.parse(rawQuery).forEach((name, value) -> {
            if (!SIGNATURE_PARAMETERS.contains(name)) {
                parameters.put(name, value);
            }
        });
        if (body.length == 0) {
            return parameters;
        }
        checkFormType();
        for (Map.Entry<String, String> parameter : QueryForm.parse(utf8(body)).entrySet()) {
            if (parameters.putIfAbsent(parameter.getKey(), parameter.getValue()) != null) {
                throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, "the parameter " + parameter.getKey()
                        + " is given both in the query string and in the body");
            }
        }
        return parameters;
    }

    /** A body must be a form, in UTF-8 (the charset may be left out, as AWS's clients do). */
    private void checkFormType() throws StsException {
        List<String> types = headers.getOrDefault("content-type", List.of());
        String type = types.isEmpty() ? "" : types.get(0);
        String[] parts = type.split(";");
        boolean form = types.size() == 1 && parts[0].strip().equalsIgnoreCase(FORM);
        for (int i = 1; form && i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            form = !parameter.startsWith("charset=") || parameter.replace("\"", "").equals("charset=utf-8");
        }
        if (!form) {
            throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, "the body must be the action's parameters as "
                    + FORM + " (in UTF-8), not Content-Type \"" + type + "\"");
        }
    }

    private static String utf8(byte[] bytes) throws StsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, "the body is not UTF-8 text");
        }
    }
}
