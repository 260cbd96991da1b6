package dev.gavel.directory;

import java.util.List;

/** The organization's root or an organizational unit, with its policies, child units and accounts. */
public record OrgUnit(String id, String name, List<String> scpNames, List<String> rcpNames, List<OrgUnit> units,
        List<OrgAccount> accounts) {

    public OrgUnit {
        scpNames = List.copyOf(scpNames);
        rcpNames = List.copyOf(rcpNames);
        units = List.copyOf(units);
        accounts = List.copyOf(accounts);
    }
}
