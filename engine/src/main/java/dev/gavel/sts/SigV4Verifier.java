package dev.gavel.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies an AWS Signature Version 4 request, signed in the {@code Authorization} header or
 * presigned in the query string, the way AWS services do ("Create a signed AWS API request" in
 * the IAM User Guide, "Authenticating Requests" in the Amazon S3 API Reference).
 *
 * <p>The checks run cheapest first, so that a malformed or stale request costs no secret lookup:
 * the signature's parts must all be present and well formed; the credential scope must end in
 * {@code aws4_request} and name the day of the signing date; the date must lie within 15 minutes
 * of our clock (a presigned URL: not more than 15 minutes ahead, and not past its
 * {@code X-Amz-Expires}); {@code host} must be signed. Only then is the secret fetched, the
 * canonical request rebuilt from the request as received, and the signatures compared in
 * constant time. Last, a body that came with a hex {@code x-amz-content-sha256} must hash to it.
 *
 * <p>The canonical request follows the services, not one rule: S3 signs the path as sent, while
 * every other service resolves dot segments, drops redundant slashes, and then encodes the
 * already-encoded path once more. Query names and values are decoded and encoded again, so that
 * {@code ~} and {@code %7E}, which a client may send either way, sign alike.
 *
 * <p>What stays with the caller: that the scope's region and service are its own; the chunk
 * signatures of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} body; and the hash of a body passed
 * as null. Secrets never appear in messages.
 */
public final class SigV4Verifier {

    /** How far a signing date may lie from our clock, either way, as AWS allows. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest {@code X-Amz-Expires} of a presigned URL: seven days, in seconds. */
    static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final int MAX_SIGNING_KEYS = 10_000;
    private static final ConcurrentHashMap<KeyScope, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();
    /** Each thread's own instances: finding a provider's implementation costs more than a short HMAC. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> instance(() ->
            Mac.getInstance("HmacSHA256")));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> instance(() ->
            MessageDigest.getInstance("SHA-256")));

    /** A secret with the scope of a signing key derived from it; never printed. */
    private record KeyScope(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return date + "/" + region + "/" + service;
        }
    }

    /** Makes a JCA instance that every Java runtime has. */
    private interface JcaFactory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T instance(JcaFactory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a Java runtime without SHA-256", e);
        }
    }

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String TERMINATOR = "aws4_request";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final String SECURITY_TOKEN = "X-Amz-Security-Token";
    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
    /** The presigned URL's parameters, in the order of AWS's message when some are missing. */
    private static final List<String> QUERY_PARTS = List.of("X-Amz-Algorithm", "X-Amz-Credential",
            SIGNATURE_PARAMETER, "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");
    private static final List<String> HEADER_PARTS = List.of("Credential", "SignedHeaders", "Signature");
    /** Signing names whose paths are object keys: signed as sent, never normalised. */
    private static final Set<String> S3_SERVICES = Set.of("s3", "s3-object-lambda", "s3-outposts");

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{8}T\\d{6}Z");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EXPIRES = Pattern.compile("\\d{1,7}");
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("d MMM uuuu HH:mm:ss 'GMT'", Locale.US).withResolverStyle(ResolverStyle.STRICT);
    private static final HexFormat HEX = HexFormat.of();

    private static final String INCOMPLETE = "IncompleteSignature";
    private static final String MISMATCH = "SignatureDoesNotMatch";
    private static final String MISMATCH_MESSAGE = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method.";

    /**
     * What a request claims about its signature, from the {@code Authorization} header or the
     * query string; {@code expiresSeconds} is null unless presigned.
     */
    private record Claims(String credential, String signedHeaders, String signature, String timestamp,
            Instant signedAt, String sessionToken, Long expiresSeconds) {

        boolean presigned() {
            return expiresSeconds != null;
        }
    }

    /** The credential scope, {@code ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request}. */
    private record Scope(String accessKeyId, String date, String region, String service) {

        String value() {
            return date + "/" + region + "/" + service + "/" + TERMINATOR;
        }
    }

    private final SigningSecrets secrets;
    private final Clock clock;

    public SigV4Verifier(SigningSecrets secrets, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the request's signature.
     *
     * @throws StsException {@code MissingAuthenticationToken}, {@code IncompleteSignature},
     *     {@code SignatureDoesNotMatch}, {@code RequestTimeTooSkewed}, {@code AccessDenied} (an
     *     expired presigned URL), {@code InvalidArgument} or {@code XAmzContentSHA256Mismatch}
     *     (the payload hash), and whatever {@link SigningSecrets} refuses the credentials with
     */
    public VerifiedSignature verify(SignedRequest request) throws StsException {
        List<CanonicalRequest.QueryParameter> query = CanonicalRequest.parseQuery(request.rawQuery());
        Claims claims = claims(request, query);
        Scope scope = scope(claims);
        checkTime(claims);
        List<String> signedHeaders = signedHeaders(claims.signedHeaders());
        boolean s3 = S3_SERVICES.contains(scope.service());

        String declaredHash = declaredPayloadHash(request);
        String payloadHash = declaredHash != null ? declaredHash
                : claims.presigned() && s3 ? UNSIGNED_PAYLOAD
                : sha256Hex(Objects.requireNonNullElse(request.body(), new byte[0]));
        String canonicalRequest = CanonicalRequest.build(request, query, signedHeaders, claims.signedHeaders(),
                claims.presigned(), payloadHash, s3);

        String secret = secrets.secretFor(scope.accessKeyId(), claims.sessionToken());
        String expected = signature(secret, scope, claims.timestamp(), canonicalRequest);
        if (!MessageDigest.isEqual(expected.getBytes(UTF_8), claims.signature().getBytes(UTF_8))) {
            throw new StsException(MISMATCH, MISMATCH_MESSAGE);
        }
        byte[] body = request.body();
        if (body != null && declaredHash != null && SHA256_HEX.matcher(declaredHash).matches()
                && !declaredHash.equals(sha256Hex(body))) {
            throw new StsException("XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return new VerifiedSignature(scope.accessKeyId(), claims.sessionToken(), scope.region(), scope.service(),
                claims.signedAt(), claims.presigned());
    }

    // ---- the signature's claims

    private static Claims claims(SignedRequest request, List<CanonicalRequest.QueryParameter> query) throws StsException {
        List<String> authorization = request.headerValues("Authorization");
        boolean presigned = query.stream().anyMatch(p -> p.name().equals("X-Amz-Algorithm")
                || p.name().equals("X-Amz-Credential") || p.name().equals(SIGNATURE_PARAMETER));
        if (presigned && !authorization.isEmpty()) {
            throw incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter,"
                    + " Signature query string parameter or the Authorization header should be specified");
        }
        if (presigned) {
            return queryClaims(request, query);
        }
        if (authorization.isEmpty()) {
            throw new StsException("MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        return headerClaims(request, single(authorization, "Authorization"));
    }

    /**
     * {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}, dated by
     * {@code X-Amz-Date} or else {@code Date}.
     */
    private static Claims headerClaims(SignedRequest request, String authorization) throws StsException {
        String value = authorization.strip();
        int space = value.indexOf(' ');
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'; only " + ALGORITHM + " is supported");
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : (space < 0 ? "" : value.substring(space + 1)).split(",")) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw incomplete("a part of the Authorization header is not of the form name=value");
            }
            String name = trimmed.substring(0, equals);
            if (!HEADER_PARTS.contains(name)) {
                throw incomplete("Authorization header has an unknown part '" + name + "'");
            }
            if (parts.putIfAbsent(name, trimmed.substring(equals + 1).strip()) != null) {
                throw incomplete("Authorization header has more than one '" + name + "'");
            }
        }
        List<String> amzDate = request.headerValues("X-Amz-Date");
        List<String> httpDate = request.headerValues("Date");
        StringJoiner missing = new StringJoiner(" ");
        for (String name : HEADER_PARTS) {
            if (parts.getOrDefault(name, "").isEmpty()) {
                missing.add("Authorization header requires '" + name + "' parameter.");
            }
        }
        if (amzDate.isEmpty() && httpDate.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString());
        }
        Instant signedAt = amzDate.isEmpty() ? parseHttpDate(single(httpDate, "Date"))
                : parseTimestamp("X-Amz-Date", single(amzDate, "X-Amz-Date"));
        List<String> tokens = request.headerValues(SECURITY_TOKEN);
        String token = tokens.isEmpty() ? null : single(tokens, SECURITY_TOKEN);
        return new Claims(parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"),
                format(signedAt), signedAt, token, null);
    }

    /** {@code X-Amz-Algorithm}, {@code X-Amz-Credential}... in the query string of a presigned URL. */
    private static Claims queryClaims(SignedRequest request, List<CanonicalRequest.QueryParameter> query)
            throws StsException {
        Map<String, String> parts = new HashMap<>();
        for (CanonicalRequest.QueryParameter parameter : query) {
            if ((QUERY_PARTS.contains(parameter.name()) || parameter.name().equals(SECURITY_TOKEN))
                    && parts.putIfAbsent(parameter.name(), parameter.value()) != null) {
                throw incomplete("the query string has more than one " + parameter.name());
            }
        }
        List<String> missing = QUERY_PARTS.stream().filter(name -> parts.getOrDefault(name, "").isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw incomplete("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
                    + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; missing "
                    + String.join(", ", missing));
        }
        String algorithm = parts.get("X-Amz-Algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("X-Amz-Algorithm only supports \"" + ALGORITHM + "\", not '" + algorithm + "'");
        }
        String expires = parts.get("X-Amz-Expires");
        long seconds = EXPIRES.matcher(expires).matches() ? Long.parseLong(expires) : -1;
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
            throw incomplete("X-Amz-Expires must be a whole number of seconds from 1 to " + MAX_EXPIRES_SECONDS
                    + " (a week), not '" + expires + "'");
        }
        String timestamp = parts.get("X-Amz-Date");
        Instant signedAt = parseTimestamp("X-Amz-Date", timestamp);
        String token = parts.get(SECURITY_TOKEN);
        if (token == null) {
            List<String> tokens = request.headerValues(SECURITY_TOKEN);
            token = tokens.isEmpty() ? null : single(tokens, SECURITY_TOKEN);
        }
        return new Claims(parts.get("X-Amz-Credential"), parts.get("X-Amz-SignedHeaders"),
                parts.get(SIGNATURE_PARAMETER), timestamp, signedAt, token, seconds);
    }

    private static Scope scope(Claims claims) throws StsException {
        String[] parts = claims.credential().split("/", -1);
        if (parts.length != 5 || List.of(parts).contains("")) {
            throw incomplete("Credential must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request,"
                    + " not '" + claims.credential() + "'");
        }
        if (!TERMINATOR.equals(parts[4])) {
            throw new StsException(MISMATCH, "Credential should be scoped with a valid terminator: '" + TERMINATOR
                    + "', not '" + parts[4] + "'.");
        }
        String day = claims.timestamp().substring(0, 8);
        if (!day.equals(parts[1])) {
            throw new StsException(MISMATCH, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version"
                    + " of date from HTTP: '" + parts[1] + "' != '" + day + "', from '" + claims.timestamp() + "'.");
        }
        return new Scope(parts[0], parts[1], parts[2], parts[3]);
    }

    private void checkTime(Claims claims) throws StsException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant latest = now.plus(MAX_SKEW);
        if (claims.presigned()) {
            if (claims.signedAt().isAfter(latest)) {
                throw new StsException("AccessDenied", "Request is not valid yet");
            }
            if (!now.isBefore(claims.signedAt().plusSeconds(claims.expiresSeconds()))) {
                throw new StsException("AccessDenied", "Request has expired");
            }
            return;
        }
        Instant earliest = now.minus(MAX_SKEW);
        if (claims.signedAt().isBefore(earliest)) {
            throw new StsException("RequestTimeTooSkewed", "Signature expired: " + claims.timestamp()
                    + " is now earlier than " + format(earliest) + " (" + format(now) + " - 15 min.)");
        }
        if (claims.signedAt().isAfter(latest)) {
            throw new StsException("RequestTimeTooSkewed", "Signature not yet current: " + claims.timestamp()
                    + " is still later than " + format(latest) + " (" + format(now) + " + 15 min.)");
        }
    }

    private static List<String> signedHeaders(String signedHeaders) throws StsException {
        List<String> names = List.of(signedHeaders.split(";", -1));
        if (names.contains("")) {
            throw incomplete("SignedHeaders must be header names separated by ';', not '" + signedHeaders + "'");
        }
        if (!names.contains("host")) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return names;
    }

    /**
     * The {@code x-amz-content-sha256} header: a hex hash, or a literal such as
     * {@code UNSIGNED-PAYLOAD}; null when absent.
     */
    private static String declaredPayloadHash(SignedRequest request) throws StsException {
        List<String> values = request.headerValues(CONTENT_SHA256);
        if (values.isEmpty()) {
            return null;
        }
        String value = single(values, CONTENT_SHA256).strip();
        if (value.equals(UNSIGNED_PAYLOAD) || value.startsWith("STREAMING-")
                || SHA256_HEX.matcher(value).matches()) {
            return value;
        }
        throw new StsException("InvalidArgument",
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a valid sha256 value.");
    }

    // ---- the signature

    private static String signature(String secret, Scope scope, String timestamp, String canonicalRequest) {
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope.value() + "\n"
                + sha256Hex(canonicalRequest.getBytes(UTF_8));
        return HEX.formatHex(hmac(signingKey(secret, scope), stringToSign));
    }

    /**
     * The key a scope's requests are signed with, derived from the secret by four HMACs. It is the
     * same for a day, a region and a service, so a client's requests share one: the keys are kept,
     * up to {@link #MAX_SIGNING_KEYS}, and all forgotten when there are more.
     */
    private static byte[] signingKey(String secret, Scope scope) {
        KeyScope keyScope = new KeyScope(secret, scope.date(), scope.region(), scope.service());
        byte[] key = SIGNING_KEYS.get(keyScope);
        if (key == null) {
            key = hmac(("AWS4" + secret).getBytes(UTF_8), scope.date());
            key = hmac(key, scope.region());
            key = hmac(key, scope.service());
            key = hmac(key, TERMINATOR);
            if (SIGNING_KEYS.size() >= MAX_SIGNING_KEYS) {
                SIGNING_KEYS.clear();
            }
            SIGNING_KEYS.put(keyScope, key);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String sha256Hex(byte[] data) {
        return HEX.formatHex(SHA256.get().digest(data));
    }

    // ---- small parts

    private static Instant parseTimestamp(String name, String value) throws StsException {
        try {
            if (TIMESTAMP.matcher(value).matches()) {
                return LocalDateTime.parse(value, BASIC).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            // reported below, as for any other malformed date
        }
        throw incomplete(name + " must be in ISO-8601 basic format, YYYYMMDD'T'HHMMSS'Z', not '" + value + "'");
    }

    /**
     * An HTTP date, {@code Mon, 09 Sep 2011 23:36:00 GMT}. The day's name is not checked: AWS's own
     * test suite signs 9 September 2011 as a Monday.
     */
    private static Instant parseHttpDate(String value) throws StsException {
        String date = value.strip();
        try {
            String withoutDayName = date.substring(date.indexOf(',') + 1).strip();
            return LocalDateTime.parse(withoutDayName, HTTP_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be an HTTP date such as 'Sat, 28 Nov 2026 10:30:00 GMT', not '" + value
                    + "'");
        }
    }

    private static String format(Instant instant) {
        return BASIC.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static String single(List<String> values, String name) throws StsException {
        if (values.size() > 1) {
            throw incomplete("the request has more than one '" + name + "' header");
        }
        return values.get(0);
    }

    private static StsException incomplete(String message) {
        return new StsException(INCOMPLETE, message);
    }
}
