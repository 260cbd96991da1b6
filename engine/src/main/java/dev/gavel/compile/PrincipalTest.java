package dev.gavel.compile;

import dev.gavel.eval.Caller;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PrincipalElement;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.PrincipalKind;

/**
 * A statement's {@code Principal} or {@code NotPrincipal}, compiled for matching callers. How it
 * matches decides what a resource-based policy's grant is worth:
 *
 * <ul>
 *   <li>{@link #CALLER}: it names the caller itself (its user, session, service or provider),
 *       or the account root that is the caller;
 *   <li>{@link #ANYONE}: {@code "*"}, or a NotPrincipal that does not leave the caller out;
 *   <li>{@link #ROLE}: it names the role whose session the caller is;
 *   <li>{@link #ACCOUNT}: it names the caller's account, which delegates to identity policies.
 * </ul>
 *
 * A Deny's NotPrincipal leaves a caller out only when it lists every identity the caller has,
 * and never a caller with a permissions boundary. An Allow's NotPrincipal, which AWS does not
 * support, leaves out a caller any of whose identities it lists.
 */
final class PrincipalTest {

    static final int NONE = 0;
    static final int ACCOUNT = 1;
    static final int ROLE = 2;
    static final int ANYONE = 3;
    static final int CALLER = 4;

    private final boolean negated;
    private final boolean anyone;
    private final boolean deny;
    private final PrincipalKind[] kinds;
    private final String[] values;

    PrincipalTest(PrincipalElement element, Effect effect) {
        this.negated = element.negated();
        this.anyone = element.anyone();
        this.deny = effect == Effect.DENY;
        this.kinds = element.ids().stream().map(PrincipalId::kind).toArray(PrincipalKind[]::new);
        this.values = element.ids().stream().map(PrincipalId::value).toArray(String[]::new);
    }

    /** How the element matches the caller: one of the constants, {@link #NONE} for no match. */
    int match(CallerView caller, boolean hasBoundary) {
        if (negated) {
            if (deny) {
                return hasBoundary || !listsAll(caller) ? ANYONE : NONE;
            }
            return listsAny(caller) ? NONE : ANYONE;
        }
        if (anyone) {
            return ANYONE;
        }
        int best = NONE;
        for (int i = 0; i < values.length; i++) {
            best = Math.max(best, idMatch(kinds[i], values[i], caller));
        }
        return best;
    }

    private static int idMatch(PrincipalKind kind, String value, CallerView caller) {
        switch (kind) {
            case AWS:
                if (value.equals("*")) {
                    return ANYONE;
                }
                if (caller.account != null && (value.equals(caller.account) || value.equals(caller.rootArn))) {
                    return caller.kind == Caller.Kind.ROOT ? CALLER : ACCOUNT;
                }
                if (caller.roleName != null && caller.namesRole(value)) {
                    return ROLE;
                }
                return value.equals(caller.arn) ? CALLER : NONE;
            case SERVICE:
                return caller.kind == Caller.Kind.SERVICE && value.equalsIgnoreCase(caller.arn) ? CALLER : NONE;
            default:
                return value.equals(caller.arn) ? CALLER : NONE;
        }
    }

    /** Whether the element lists every identity of the caller (a caller with none is never left out). */
    private boolean listsAll(CallerView caller) {
        if (anyone) {
            return true;
        }
        if (caller.identities.length == 0) {
            return false;
        }
        for (String identity : caller.identities) {
            if (!lists(identity, caller)) {
                return false;
            }
        }
        return true;
    }

    private boolean listsAny(CallerView caller) {
        if (anyone) {
            return true;
        }
        for (String identity : caller.identities) {
            if (lists(identity, caller)) {
                return true;
            }
        }
        return false;
    }

    private boolean lists(String identity, CallerView caller) {
        for (String value : values) {
            if (names(value, identity, caller)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a listed value names one identity of the caller: its account, its role, or itself. */
    private static boolean names(String value, String identity, CallerView caller) {
        if (value.equals("*")) {
            return true;
        }
        if (identity.equals(caller.rootArn)) {
            return value.equals(caller.account) || value.equals(identity);
        }
        if (identity.equals(caller.roleArn) && caller.kind == Caller.Kind.ROLE_SESSION) {
            return caller.namesRole(value);
        }
        return value.equals(identity);
    }
}
