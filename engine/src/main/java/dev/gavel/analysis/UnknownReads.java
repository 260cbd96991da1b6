package dev.gavel.analysis;

import dev.gavel.directory.Account;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Group;
import dev.gavel.directory.Organization;
import dev.gavel.directory.User;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Policy;
import dev.gavel.policy.Statement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cheap test of which principals a who-can question must analyse three-valued: those with a
 * policy (identity-based, boundary, SCP, or on the resource's side) holding a statement that
 * covers the action and reads a key whose value is unknown, in a condition or as a resource
 * variable. Any other principal's answer does not depend on unknown keys, so the compiled check
 * is exact. A key is unknown when the question does not give it and Gavel does not fill it; for a
 * role, the keys that differ between its sessions are unknown too. Answers are kept per policy
 * object, which principals share. One per action of one question; not thread-safe.
 */
final class UnknownReads {

    private final Directory directory;
    private final String action;
    private final RequestContext given;
    private final Map<Policy, Boolean> forUsers = new IdentityHashMap<>();
    private final Map<Policy, Boolean> forRoles = new IdentityHashMap<>();

    UnknownReads(Directory directory, String action, RequestContext given) {
        this.directory = directory;
        this.action = action;
        this.given = given;
    }

    /** Whether the member's answer may depend on unknown keys, with these resource-side policies. */
    boolean anyFor(Roster.Member member, List<Policy> resourceSide) {
        boolean role = member.role() != null;
        for (Policy policy : resourceSide) {
            if (reads(policy, role)) {
                return true;
            }
        }
        String accountId;
        if (role) {
            accountId = member.role().accountId();
            Account account = directory.account(accountId);
            if (member.role().inlinePolicies().stream().anyMatch(p -> reads(p.document(), true))
                    || member.role().attachedPolicyArns().stream().anyMatch(a -> reads(account.policy(a).document(),
                            true))
                    || boundary(account, member.role().permissionsBoundaryArn(), true)) {
                return true;
            }
        } else {
            User user = directory.user(member.arn());
            accountId = user.accountId();
            Account account = directory.account(accountId);
            if (user.inlinePolicies().stream().anyMatch(p -> reads(p.document(), false))
                    || user.attachedPolicyArns().stream().anyMatch(a -> reads(account.policy(a).document(), false))
                    || boundary(account, user.permissionsBoundaryArn(), false)) {
                return true;
            }
            for (String name : user.groupNames()) {
                Group group = account.group(name);
                if (group.inlinePolicies().stream().anyMatch(p -> reads(p.document(), false))
                        || group.attachedPolicyArns().stream().anyMatch(a -> reads(account.policy(a).document(),
                                false))) {
                    return true;
                }
            }
        }
        Organization organization = directory.organization();
        return organization != null && organization.scpLevels(accountId).stream()
                .anyMatch(level -> level.stream().anyMatch(policy -> reads(policy, role)));
    }

    private boolean boundary(Account account, String arn, boolean role) {
        return arn != null && reads(account.policy(arn).document(), role);
    }

    private boolean reads(Policy policy, boolean role) {
        Map<Policy, Boolean> cache = role ? forRoles : forUsers;
        Boolean known = cache.get(policy);
        if (known == null) {
            known = scan(policy, role);
            cache.put(policy, known);
        }
        return known;
    }

    private boolean scan(Policy policy, boolean role) {
        boolean[] found = {false};
        for (Statement statement : policy.statements()) {
            if (ResourceSide.covers(statement.action(), action)) {
                SessionKeys.keysRead(statement, key -> found[0] |= unknown(key, role));
                if (found[0]) {
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
        if (!Authorizer.isFilledKey(key)) {
            return true;
        }
        return role && isSessionKey(key);
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
