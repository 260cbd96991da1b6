package dev.gavel.sidecar.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.RequestException;
import dev.gavel.match.Arn;
import dev.gavel.sts.StsException;

/**
 * Prepared principal handles by ARN or by credentials, kept in a bounded cache: resolving a
 * principal costs far more than a check (a role session's policies are compiled for it), and
 * callers ask for the same few principals again and again.
 *
 * <p>A handle follows reloads by itself. When one answers failed-closed, the principal may have
 * left the directory or its credentials expired: {@link #refresh} resolves it afresh, so that the
 * caller hears why ({@code UNKNOWN_PRINCIPAL}, {@code INVALID_CREDENTIALS}) rather than a bare
 * deny. Session tokens are cache keys in memory only; they are never written anywhere.
 */
final class Principals {

    /** Principals and credentials remembered; beyond this the least used are resolved again. */
    static final int MAX_CACHED = 10_000;

    private final Engine engine;
    private final Cache<String, Principal> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED).build();

    Principals(Engine engine) {
        this.engine = engine;
    }

    /** The request's principal, from the cache or resolved now. */
    Principal resolve(CheckRequest request) throws ApiException {
        String key = request.callerKey();
        Principal principal = cache.getIfPresent(key);
        if (principal == null) {
            principal = lookUp(request);
            cache.put(key, principal);
        }
        return principal;
    }

    /** The request's principal resolved afresh, after its cached handle failed closed. */
    Principal refresh(CheckRequest request) throws ApiException {
        String key = request.callerKey();
        cache.invalidate(key);
        Principal principal = lookUp(request);
        cache.put(key, principal);
        return principal;
    }

    private Principal lookUp(CheckRequest request) throws ApiException {
        if (request.principal() != null) {
            if (Arn.parse(request.principal()) == null) {
                throw new ApiException(ErrorCode.INVALID_FIELD, request.field("principal"),
                        "\"" + request.principal() + "\" is not an ARN");
            }
            try {
                return engine.principal(request.principal());
            } catch (RequestException e) {
                throw new ApiException(ErrorCode.UNKNOWN_PRINCIPAL, request.field("principal"), message(e));
            }
        }
        try {
            return engine.credentials(request.accessKeyId(), request.sessionToken());
        } catch (StsException e) {
            // A temporary key's session lives in its token: that is what fails to resolve.
            boolean token = request.sessionToken() != null && request.accessKeyId().startsWith("ASIA");
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS,
                    request.field(token ? "sessionToken" : "accessKeyId"), e.code() + ": " + e.getMessage());
        } catch (RequestException e) {
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS, request.field("accessKeyId"), message(e));
        }
    }

    /** The engine's message without the field it starts with, which the error names apart. */
    private static String message(RequestException e) {
        String prefix = e.field() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
