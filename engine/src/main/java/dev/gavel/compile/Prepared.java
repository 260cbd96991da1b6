package dev.gavel.compile;

import dev.gavel.directory.Identity;
import java.time.Instant;

/**
 * A principal resolved against one snapshot: its identity, its compiled side, and the facts of
 * its session that change with time (expiry, the age of MFA). What a prepared check reads.
 *
 * <p>Internal to Gavel: users hold it through {@code Engine}'s principal handles.
 */
public final class Prepared {

    /** One second's {@code aws:MultiFactorAuthAge}, shared by the checks of that second. */
    private record Age(long second, String text) {}

    final Snapshot snapshot;
    final Identity identity;
    final Subject subject;
    final Instant mfa;
    /** When the credentials expire (milliseconds since the epoch), or Long.MAX_VALUE for long-term ones. */
    final long expiresAtMillis;
    /** Whether these are credentials from GetSessionToken, which AWS limits. */
    final boolean sessionToken;
    /** The snapshot's facts of the principal's account, the resource account of ARNs that name none. */
    final Snapshot.AccountFacts account;
    private volatile Age age;

    Prepared(Snapshot snapshot, Identity identity, Subject subject, Instant mfa, Instant expires, Snapshot.AccountFacts account) {
        this.account = account;
        this.snapshot = snapshot;
        this.identity = identity;
        this.subject = subject;
        this.mfa = mfa;
        this.expiresAtMillis = expires == null ? Long.MAX_VALUE : expires.toEpochMilli();
        this.sessionToken = identity instanceof Identity.UserIdentity user && user.session() != null;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Identity identity() {
        return identity;
    }

    /** Whether the credentials have expired at this instant (milliseconds since the epoch). */
    public boolean expired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** {@code aws:MultiFactorAuthAge} in the given second: whole seconds since MFA, never negative. */
    String mfaAge(TimeFacts.Second now) {
        Age cached = age;
        if (cached == null || cached.second() != now.epochSecond()) {
            long seconds = now.epochSecond() - mfa.getEpochSecond() - (mfa.getNano() > 0 ? 1 : 0);
            cached = new Age(now.epochSecond(), Long.toString(Math.max(0, seconds)));
            age = cached;
        }
        return cached.text();
    }
}
