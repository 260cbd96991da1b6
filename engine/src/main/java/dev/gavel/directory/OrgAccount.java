package dev.gavel.directory;

import java.util.List;

/** An account's place in an organization, with the SCPs and RCPs attached to it directly. */
public record OrgAccount(String id, String name, List<String> scpNames, List<String> rcpNames) {

    public OrgAccount {
        scpNames = List.copyOf(scpNames);
        rcpNames = List.copyOf(rcpNames);
    }
}
