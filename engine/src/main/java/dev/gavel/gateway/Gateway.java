package dev.gavel.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Session;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.CredentialResolver;
import dev.gavel.sts.SessionTokens;
import dev.gavel.sts.SigV4Verifier;
import dev.gavel.sts.SignedRequest;
import dev.gavel.sts.SigningSecrets;
import dev.gavel.sts.StsException;
import dev.gavel.sts.VerifiedSignature;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides an HTTP request as an AWS service would: authenticates its SigV4 signature (an
 * unsigned request is the anonymous caller), maps it to an action, a resource and condition keys
 * with a {@link RequestMapper}, adds the keys every AWS request carries ({@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code aws:RequestedRegion}, {@code aws:UserAgent},
 * {@code aws:Referer}), and asks the engine.
 *
 * <p>Each refusal carries the code and status the service's clients expect: the verifier's
 * ({@code SignatureDoesNotMatch}, {@code RequestTimeTooSkewed}...), S3's names for unknown or
 * expired credentials ({@code InvalidAccessKeyId}, {@code InvalidToken}, {@code ExpiredToken}),
 * the mapper's, and {@code AccessDenied} for a request the policies do not allow. An error while
 * deciding is an {@code AccessDenied} too.
 *
 * <p>Resolved credentials are cached, so that a client's requests after its first cost one
 * signature check and one compiled check; an entry is resolved again after the engine reloads.
 * Thread-safe.
 */
public final class Gateway {

    /**
     * The keys the gateway fills from the connection and the request's own headers; a mapper's
     * value for one of them is dropped, so that no mapping lets a client choose them.
     */
    static final List<String> REQUEST_KEYS = List.of("aws:SecureTransport", "aws:SourceIp", "aws:RequestedRegion",
            "aws:UserAgent", "aws:Referer");

    private static final int MAX_CACHED_CREDENTIALS = 100_000;
    private static final Duration CREDENTIAL_TTL = Duration.ofMinutes(5);

    /** Credentials resolved against one snapshot version: the secret to check signatures with, and the handle. */
    private record Resolved(long version, String secret, Principal principal, Instant expiresAt) {}

    private record CredentialKey(String accessKeyId, String sessionToken) {
        @Override
        public String toString() {
            return accessKeyId;
        }
    }

    /** The caller of a request: null principal for the anonymous caller. */
    private record Caller(Principal principal, Authentication authentication, String region) {}

    private final Engine engine;
    private final RequestMapper mapper;
    private final GatewayOptions options;
    private final SecureRandom random = new SecureRandom();
    private final Cache<CredentialKey, Resolved> credentials = Caffeine.newBuilder()
            .maximumSize(MAX_CACHED_CREDENTIALS).expireAfterWrite(CREDENTIAL_TTL).build();
    private final ThreadLocal<CheckContext> contexts;
    private final Consumer<GatewayDecision> observer;

    public Gateway(Engine engine, RequestMapper mapper, GatewayOptions options) {
        this(engine, mapper, options, decision -> {});
    }

    /** A gateway that also hands every decision to {@code observer} (metrics, a decision log) before returning it. */
    public Gateway(Engine engine, RequestMapper mapper, GatewayOptions options, Consumer<GatewayDecision> observer) {
        this.engine = engine;
        this.mapper = mapper;
        this.options = options;
        this.observer = observer;
        this.contexts = ThreadLocal.withInitial(engine::newContext);
    }

    /** The mapper that turns requests into actions and resources. */
    public RequestMapper mapper() {
        return mapper;
    }

    /** Authenticates, maps and decides one request. Never throws: any failure is a refusal. */
    public GatewayDecision decide(GatewayRequest request) {
        String id = options.decisionIds().get();
        String path = request.rawPath();
        Caller caller = null;
        MappedRequest mapped = null;
        try {
            caller = authenticate(request);
            mapped = mapper.map(request, caller.authentication());
            RequestContext context = context(request, mapped, caller);
            String principal = principalName(caller);
            Answer answer = answer(caller, mapped.action(), mapped.resource(), context);
            String deniedAction = mapped.action();
            String deniedResource = mapped.resource();
            for (int i = 0; i < mapped.alsoRequires().size() && answer.allowed(); i++) {
                MappedRequest.Requirement required = mapped.alsoRequires().get(i);
                answer = answer(caller, required.action(), required.resource(), context);
                deniedAction = required.action();
                deniedResource = required.resource();
            }
            if (answer.allowed()) {
                return observed(new GatewayDecision(true, 200, null, null, principal, mapped, Decision.ALLOWED, id,
                        answer.version(), path));
            }
            return observed(new GatewayDecision(false, 403, "AccessDenied",
                    denial(principal, deniedAction, deniedResource, answer), principal, mapped, answer.decision(), id,
                    answer.version(), path));
        } catch (GatewayException e) {
            return observed(new GatewayDecision(false, e.status(), e.code(), e.getMessage(),
                    caller == null ? null : principalName(caller), mapped, null, id, engine.version(), path));
        } catch (RequestException | RuntimeException e) {
            // Fail closed: a request Gavel cannot decide is denied, never passed. An internal
            // error's own words stay in the server: they are no business of the client's.
            String why = e instanceof RequestException ? e.getMessage() : "the request could not be decided";
            return observed(new GatewayDecision(false, 403, "AccessDenied", "Access Denied: " + why,
                    caller == null ? null : principalName(caller), mapped, Decision.IMPLICIT_DENY, id,
                    engine.version(), path));
        }
    }

    private Answer answer(Caller caller, String action, String resource, RequestContext context)
            throws RequestException {
        return caller.principal() == null ? engine.explainAnonymous(action, resource, context)
                : caller.principal().check(engine.action(action), resource, fill(context));
    }

    private GatewayDecision observed(GatewayDecision decision) {
        try {
            observer.accept(decision);
        } catch (RuntimeException e) {
            // An observer (metrics, a log) must not change the decision.
        }
        return decision;
    }

    private static String principalName(Caller caller) {
        return caller.principal() == null ? Authorizer.ANONYMOUS : caller.principal().arn();
    }

    private static String denial(String principal, String action, String resource, Answer answer) {
        String who = Authorizer.ANONYMOUS.equals(principal) ? "Anonymous caller" : "User: " + principal;
        return who + " is not authorized to perform: " + action + " on resource: \"" + resource
                + "\"" + (answer.decision() == Decision.EXPLICIT_DENY ? " with an explicit deny"
                        : answer.failed() ? " because the request could not be decided" : " because no policy allows it");
    }

    private Caller authenticate(GatewayRequest request) throws GatewayException {
        Instant now = options.clock().instant();
        String authorization = request.header("authorization");
        boolean presigned = hasQueryParameter(request.rawQuery(), "X-Amz-Signature")
                || hasQueryParameter(request.rawQuery(), "X-Amz-Algorithm");
        if (authorization == null && !presigned) {
            return new Caller(null, new Authentication(Authentication.Kind.ANONYMOUS, null, now), options.region());
        }
        if (authorization != null && !authorization.startsWith("AWS4-HMAC-SHA256")) {
            throw new GatewayException("InvalidArgument", 400, "Unsupported Authorization Type: Gavel verifies "
                    + "AWS Signature Version 4 (AWS4-HMAC-SHA256) only");
        }
        SignedRequest signed = new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
                withHost(request), request.body());
        Resolving secrets = new Resolving();
        VerifiedSignature signature;
        try {
            signature = new SigV4Verifier(secrets, options.clock()).verify(signed);
        } catch (StsException e) {
            throw refusal(e, secrets.sessionToken);
        }
        if (!mapper.signingName().equals(signature.service())) {
            throw new GatewayException("SignatureDoesNotMatch", 403,
                    "Credential should be scoped to correct service: '" + mapper.signingName() + "'.");
        }
        if (options.region() != null && !options.region().equals(signature.region())) {
            throw new GatewayException("AuthorizationHeaderMalformed", 400, "The authorization header is "
                    + "malformed; the region '" + signature.region() + "' is wrong; expecting '" + options.region()
                    + "'");
        }
        Authentication.Kind kind = signature.presigned() ? Authentication.Kind.PRESIGNED
                : Authentication.Kind.HEADER;
        return new Caller(secrets.resolved.principal(), new Authentication(kind, signature.signedAt(), now),
                signature.region());
    }

    /** The headers with {@code host} as the gateway saw it, when the gateway passed it apart from the headers. */
    private static Map<String, List<String>> withHost(GatewayRequest request) {
        if (request.header("host") != null || request.host() == null || request.host().isEmpty()) {
            return request.headers();
        }
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put("host", List.of(request.host()));
        return headers;
    }

    private static boolean hasQueryParameter(String query, String name) {
        int at = 0;
        while (at <= query.length()) {
            int end = query.indexOf('&', at);
            if (end < 0) {
                end = query.length();
            }
            if (query.startsWith(name, at) && (at + name.length() == end || query.charAt(at + name.length()) == '=')) {
                return true;
            }
            at = end + 1;
        }
        return false;
    }

    /** The verifier's and resolver's refusals, in the codes and statuses S3 answers with. */
    private static GatewayException refusal(StsException e, String sessionToken) {
        return switch (e.code()) {
            case "InvalidClientTokenId" -> sessionToken == null
                    ? new GatewayException("InvalidAccessKeyId", 403,
                            "The AWS Access Key Id you provided does not exist in our records.")
                    : new GatewayException("InvalidToken", 400, "The provided token is malformed or otherwise invalid.");
            case "ExpiredToken" -> new GatewayException("ExpiredToken", 400, "The provided token has expired.");
            case "IncompleteSignature", "MissingAuthenticationToken" -> new GatewayException(
                    "AuthorizationHeaderMalformed", 400, e.getMessage());
            case "InvalidArgument", "AuthorizationQueryParametersError", "XAmzContentSHA256Mismatch" ->
                    new GatewayException(e.code(), 400, e.getMessage());
            case "ServiceUnavailable" -> new GatewayException("ServiceUnavailable", 503, e.getMessage());
            default -> new GatewayException(e.code(), 403, e.getMessage());
        };
    }

    private RequestContext context(GatewayRequest request, MappedRequest mapped, Caller caller) {
        RequestContext.Builder context = mapped.context().toBuilder();
        REQUEST_KEYS.forEach(context::remove);
        context.put("aws:SecureTransport", Boolean.toString(request.secure()));
        String sourceIp = sourceIp(request);
        if (sourceIp != null) {
            context.put("aws:SourceIp", sourceIp);
        }
        if (caller.region() != null) {
            context.put("aws:RequestedRegion", caller.region());
        }
        String userAgent = request.header("user-agent");
        if (userAgent != null) {
            context.put("aws:UserAgent", userAgent);
        }
        String referer = request.header("referer");
        if (referer != null) {
            context.put("aws:Referer", referer);
        }
        return context.build();
    }

    /**
     * The client's address: the peer's, or, when the peer is a trusted proxy, the last address of
     * the forwarded header that is not itself a trusted proxy.
     */
    String sourceIp(GatewayRequest request) {
        String peer = request.peerAddress();
        if (options.forwardedFor() != null && options.trusts(peer)) {
            List<String> values = request.headerValues(options.forwardedFor());
            String client = null;
            for (int v = values.size() - 1; v >= 0 && client == null; v--) {
                String[] hops = values.get(v).split(",");
                for (int h = hops.length - 1; h >= 0; h--) {
                    String hop = hops[h].trim();
                    if (hop.isEmpty()) {
                        continue;
                    }
                    client = hop;
                    if (!options.trusts(hop)) {
                        break;
                    }
                }
            }
            if (client != null) {
                return client;
            }
        }
        return peer;
    }

    private CheckContext fill(RequestContext context) {
        CheckContext check = contexts.get().clear();
        for (RequestContext.Entry entry : context.entries()) {
            if (entry.multivalued()) {
                check.putAll(entry.key(), entry.values());
            } else {
                check.put(entry.key(), entry.values().get(0));
            }
        }
        return check;
    }

    /** Finds the secret of the credentials a signature names, from the cache or the directory. */
    private final class Resolving implements SigningSecrets {
        private Resolved resolved;
        private String sessionToken;

        @Override
        public String secretFor(String accessKeyId, String sessionToken) throws StsException {
            this.sessionToken = sessionToken;
            CredentialKey key = new CredentialKey(accessKeyId, sessionToken);
            long version = engine.version();
            Resolved cached = credentials.getIfPresent(key);
            if (cached == null || cached.version() != version) {
                Directory directory = engine.directory();
                CredentialResolver resolver = new CredentialResolver(directory,
                        new SessionTokens(directory.sessionKeys(), options.clock(), random));
                CredentialResolver.Resolved found = resolver.resolve(accessKeyId, sessionToken);
                Principal principal;
                try {
                    principal = engine.credentials(accessKeyId, sessionToken);
                } catch (RequestException e) {
                    throw new StsException("InvalidClientTokenId", e.getMessage());
                }
                Identity identity = found.identity();
                Session session = identity instanceof Identity.UserIdentity user ? user.session()
                        : ((Identity.RoleSessionIdentity) identity).session();
                cached = new Resolved(version, found.secretAccessKey(), principal,
                        session == null ? null : session.expiresAt());
                credentials.put(key, cached);
            }
            if (cached.expiresAt() != null && !options.clock().instant().isBefore(cached.expiresAt())) {
                credentials.invalidate(key);
                throw new StsException("ExpiredToken", "The security token included in the request is expired");
            }
            resolved = cached;
            return cached.secret();
        }
    }
}
