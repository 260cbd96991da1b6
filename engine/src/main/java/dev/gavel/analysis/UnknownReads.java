package dev.gavel.analysis;

import dev.gavel.directory.Authorizer;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Policy;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cheap test of which principals a who-can question must analyse three-valued: those with a
 * statement (identity-based, boundary, SCP, or on the resource's side) that covers the action, may
 * cover the resource, and reads a key whose value is unknown, in a condition or as a variable. Any other principal's
 * answer does not depend on unknown keys, so its compiled check is exact. A key is unknown when the
 * question does not give it and Gavel does not fill it; for a role, the keys that differ between
 * its sessions are unknown too. A principal's own statements that read keys are listed once per
 * snapshot ({@link Roster.Member#reads}), and each is read once per question, as is each resource
 * side. One per action of one question; not thread-safe.
 */
final class UnknownReads {

    private final String action;
    private final String resource;
    private final RequestContext given;
    // Statements of the principals' own policies are shared (an SCP's by a whole account), so each is read once.
    private final Map<KeyReads, Boolean> usersReads = new IdentityHashMap<>();
    private final Map<KeyReads, Boolean> rolesReads = new IdentityHashMap<>();
    // By resource side: each question has one per account, the same list for all its principals.
    private final Map<List<Policy>, Boolean> usersResourceSide = new IdentityHashMap<>();
    private final Map<List<Policy>, Boolean> rolesResourceSide = new IdentityHashMap<>();

    UnknownReads(String action, String resource, RequestContext given) {
        this.action = action;
        this.resource = resource;
        this.given = given;
    }

    /**
     * Whether the member's answer may depend on unknown keys, with these resource-side policies;
     * {@code ownReadKeys} false when no statement of its own on the action reads keys
     * ({@link ActionIndex.Members#readsKeys}).
     */
    boolean anyFor(Roster.Member member, boolean ownReadKeys, List<Policy> resourceSidePolicies) {
        boolean role = member.role() != null;
        if (ownReadKeys && any(member.reads(), role)) {
            return true;
        }
        Map<List<Policy>, Boolean> memo = role ? rolesResourceSide : usersResourceSide;
        Boolean found = memo.get(resourceSidePolicies);
        if (found == null) {
            found = false;
            for (Policy policy : resourceSidePolicies) {
                if (any(KeyReads.of(policy), role)) {
                    found = true;
                    break;
                }
            }
            memo.put(resourceSidePolicies, found);
        }
        return found;
    }

    private boolean any(List<KeyReads> reads, boolean role) {
        Map<KeyReads, Boolean> memo = role ? rolesReads : usersReads;
        for (KeyReads read : reads) {
            Boolean found = memo.get(read);
            if (found == null) {
                found = reads(read, role);
                memo.put(read, found);
            }
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** Whether the statement covers the question and reads a key it does not know. */
    private boolean reads(KeyReads read, boolean role) {
        if (ResourceSide.covers(read.action(), action) && read.mayCover(resource)) {
            for (String key : read.keys()) {
                if (unknown(key, role)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean unknown(String key, boolean role) {
        if (given.get(key) != null || key.equalsIgnoreCase("aws:PrincipalArn")) {
            return false;
        }
        return !Authorizer.isFilledKey(key) || role && isSessionKey(key);
    }

    /** Whether the key is one of {@link Authorizer#SESSION_KEY_PATTERNS}. */
    static boolean isSessionKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String pattern : Authorizer.SESSION_KEY_PATTERNS) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.endsWith("*") ? lower.startsWith(p.substring(0, p.length() - 1)) : lower.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
