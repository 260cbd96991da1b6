package dev.gavel.sidecar.binary;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.RequestException;
import dev.gavel.sidecar.protocol.CheckStatus;
import dev.gavel.sts.StsException;

/**
 * Prepared principals shared by the I/O threads, keyed by ARN or by access key id and session
 * token, in a bounded Caffeine cache. A handle follows reloads by itself; a principal that did not
 * resolve is remembered with the snapshot version it failed on, and tried again on a newer one.
 */
final class PrincipalCache {

    /** What a principal resolved to: a handle, or why there is none (on snapshot {@code version}). */
    record Resolution(Principal handle, CheckStatus status, String detail, long version) {}

    private record Key(boolean credentials, String id, String token) {}

    private final Engine engine;
    private final Cache<Key, Resolution> cache;

    PrincipalCache(Engine engine, int maximumSize) {
        this.engine = engine;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** The principal named by an ARN, or by an access key id (with its session token, empty for a user's key). */
    Resolution resolve(boolean credentials, String id, String token) {
        Key key = new Key(credentials, id, token);
        Resolution known = cache.getIfPresent(key);
        if (known != null && current(known)) {
            return known;
        }
        Resolution fresh = credentials ? byCredentials(id, token) : byArn(id);
        cache.put(key, fresh);
        return fresh;
    }

    /** Whether a resolution still holds: a handle always does; a failure only on its own snapshot. */
    boolean current(Resolution resolution) {
        return resolution.handle() != null || resolution.version() == engine.version();
    }

    private Resolution byArn(String arn) {
        long version = engine.version();
        try {
            return new Resolution(engine.principal(arn), CheckStatus.OK, "", version);
        } catch (RequestException e) {
            return new Resolution(null, CheckStatus.UNKNOWN_PRINCIPAL, e.getMessage(), version);
        } catch (RuntimeException e) {
            return new Resolution(null, CheckStatus.UNKNOWN_PRINCIPAL, "principal: " + e.getMessage(), version);
        }
    }

    private Resolution byCredentials(String accessKeyId, String token) {
        long version = engine.version();
        try {
            return new Resolution(engine.credentials(accessKeyId, token.isEmpty() ? null : token), CheckStatus.OK, "",
                    version);
        } catch (StsException e) {
            return new Resolution(null, CheckStatus.INVALID_CREDENTIALS, e.code() + ": " + e.getMessage(), version);
        } catch (RequestException e) {
            return new Resolution(null, CheckStatus.UNKNOWN_PRINCIPAL, e.getMessage(), version);
        } catch (RuntimeException e) {
            return new Resolution(null, CheckStatus.INVALID_CREDENTIALS, "credentials: " + e.getMessage(), version);
        }
    }
}
