package dev.gavel.compile;

import dev.gavel.eval.Caller;
import java.util.List;

/**
 * A caller as principal matching needs it, worked out once: its kind, ARN, account and root ARN,
 * its role (for a session) and the identities a NotPrincipal must list to leave it out.
 */
final class CallerView {

    final Caller caller;
    final Caller.Kind kind;
    final String arn;
    final String account;
    final String rootArn;
    final String roleName;
    final String roleArn;
    /** {@code arn:PARTITION:iam::ACCOUNT:role/}, for matching role ARNs of any path; null without a role. */
    final String rolePrefix;
    final String[] identities;
    final boolean boundBySCPs;
    final boolean serviceLinked;

    CallerView(Caller caller) {
        this(caller, caller.account());
    }

    /** A view whose account is {@code account}, the same string as the caller's, shared for fast comparing. */
    CallerView(Caller caller, String account) {
        this.caller = caller;
        this.kind = caller.kind();
        this.arn = caller.arn();
        this.account = account;
        this.rootArn = caller.accountRootArn();
        this.roleName = caller.roleName();
        this.roleArn = caller.roleArn();
        this.rolePrefix = roleName == null ? null : "arn:" + caller.partition() + ":iam::" + account + ":role/";
        List<String> list = caller.identities();
        this.identities = list.toArray(new String[0]);
        this.boundBySCPs = caller.boundBySCPs();
        this.serviceLinked = caller.serviceLinked();
    }

    /** Whether a role ARN, with any path, names the role of this caller (role names ignore case). */
    boolean namesRole(String value) {
        if (rolePrefix == null || !value.startsWith(rolePrefix)) {
            return false;
        }
        int slash = value.lastIndexOf('/');
        return value.regionMatches(true, slash + 1, roleName, 0, roleName.length())
                && value.length() - slash - 1 == roleName.length();
    }
}
