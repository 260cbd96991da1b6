package dev.gavel.sidecar.sts;

import java.util.Map;

/**
 * The HTTP status and fault type ({@code Sender} or {@code Receiver}) of each error code the STS
 * query API answers with, as AWS answers them: the STS API reference gives the operations' own
 * errors ({@code IDPRejectedClaim} 403, {@code RegionDisabledException} 403, the others 400), and
 * the common errors of AWS query APIs the rest ({@code AccessDenied}, {@code InvalidClientTokenId},
 * {@code MissingAuthenticationToken}, {@code ExpiredToken} and {@code SignatureDoesNotMatch} 403;
 * {@code ServiceUnavailable} 503 and {@code InternalFailure} 500, the receiver's faults).
 *
 * <p>A code not listed is the caller's fault and answered 400: the engine's flows refuse bad
 * parameters with codes of their own ({@code InvalidInput}, {@code XAmzContentSHA256Mismatch}...).
 */
final class StsErrors {

    /** How an error code is answered. */
    record Status(int httpStatus, boolean sender) {}

    static final String INTERNAL_FAILURE = "InternalFailure";
    static final String INVALID_ACTION = "InvalidAction";
    static final String MISSING_ACTION = "MissingAction";
    static final String INVALID_QUERY_PARAMETER = "InvalidQueryParameter";
    static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    static final String VALIDATION_ERROR = "ValidationError";
    static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    static final String REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLarge";
    static final String SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch";

    private static final Status SENDER = new Status(400, true);
    private static final Status FORBIDDEN = new Status(403, true);

    private static final Map<String, Status> STATUSES = Map.ofEntries(
            Map.entry("AccessDenied", FORBIDDEN),
            Map.entry("ExpiredToken", FORBIDDEN),
            Map.entry("IDPRejectedClaim", FORBIDDEN),
            Map.entry("InvalidClientTokenId", FORBIDDEN),
            Map.entry("MissingAuthenticationToken", FORBIDDEN),
            Map.entry("RegionDisabledException", FORBIDDEN),
            // AWS answers a signature dated outside its 15 minutes 403, as the signature's own failures.
            Map.entry("RequestTimeTooSkewed", FORBIDDEN),
            Map.entry(SIGNATURE_DOES_NOT_MATCH, FORBIDDEN),
            Map.entry(METHOD_NOT_ALLOWED, new Status(405, true)),
            Map.entry(REQUEST_ENTITY_TOO_LARGE, new Status(413, true)),
            Map.entry(INTERNAL_FAILURE, new Status(500, false)),
            Map.entry("ServiceUnavailable", new Status(503, false)));

    private StsErrors() {}

    /** The status and fault type of an error code; 400 {@code Sender} for a code not listed. */
    static Status of(String code) {
        return STATUSES.getOrDefault(code, SENDER);
    }
}
