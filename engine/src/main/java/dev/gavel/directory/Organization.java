package dev.gavel.directory;

import dev.gavel.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An AWS organization: the tree from its root through organizational units to accounts, and the
 * service control and resource control policies attached along it, by name.
 */
public record Organization(String id, String managementAccountId, OrgUnit root, Map<String, Policy> scps,
        Map<String, Policy> rcps) {

    public Organization {
        scps = Map.copyOf(scps);
        rcps = Map.copyOf(rcps);
    }

    /** The units from the root down to the account's parent, or null when the account is not a member. */
    public List<OrgUnit> unitsAbove(String accountId) {
        List<OrgUnit> path = new ArrayList<>();
        return find(root, accountId, path) ? path : null;
    }

    /** The account's membership entry, or null. */
    public OrgAccount account(String accountId) {
        List<OrgUnit> units = unitsAbove(accountId);
        return units == null ? null : account(units, accountId);
    }

    private static OrgAccount account(List<OrgUnit> units, String accountId) {
        for (OrgAccount account : units.get(units.size() - 1).accounts()) {
            if (account.id().equals(accountId)) {
                return account;
            }
        }
        return null;
    }

    /** {@code o-id/r-id/ou-id/.../}, the value of {@code aws:PrincipalOrgPaths}; null for non-members. */
    public String orgPath(String accountId) {
        List<OrgUnit> units = unitsAbove(accountId);
        if (units == null) {
            return null;
        }
        StringBuilder path = new StringBuilder(id).append('/');
        for (OrgUnit unit : units) {
            path.append(unit.id()).append('/');
        }
        return path.toString();
    }

    /** The SCPs at each level from the root to the account; empty for non-members and the management account. */
    public List<List<Policy>> scpLevels(String accountId) {
        return levels(accountId, true);
    }

    /** The RCPs (their Deny policies) at each level from the root to the account; empty for non-members. */
    public List<List<Policy>> rcpLevels(String accountId) {
        return levels(accountId, false);
    }

    private List<List<Policy>> levels(String accountId, boolean scp) {
        List<OrgUnit> units = unitsAbove(accountId);
        if (units == null || accountId.equals(managementAccountId)) {
            return List.of();
        }
        List<List<Policy>> levels = new ArrayList<>();
        for (OrgUnit unit : units) {
            levels.add(policies(scp ? unit.scpNames() : unit.rcpNames(), scp));
        }
        OrgAccount account = account(units, accountId);
        levels.add(policies(scp ? account.scpNames() : account.rcpNames(), scp));
        return levels;
    }

    private List<Policy> policies(List<String> names, boolean scp) {
        Map<String, Policy> byName = scp ? scps : rcps;
        return names.stream().map(byName::get).toList();
    }

    private static boolean find(OrgUnit unit, String accountId, List<OrgUnit> path) {
        path.add(unit);
        for (OrgAccount account : unit.accounts()) {
            if (account.id().equals(accountId)) {
                return true;
            }
        }
        for (OrgUnit child : unit.units()) {
            if (find(child, accountId, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }
}
