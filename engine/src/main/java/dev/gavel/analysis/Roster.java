package dev.gavel.analysis;

import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every principal of one version of the engine's directory, prepared once for many checks:
 * each user, and one representative session of each role. Preparing compiles the principal's
 * side (a role's session is compiled per handle, a user's is cached by the snapshot), which costs
 * far more than a check, so a roster is kept until the engine's version changes.
 */
final class Roster {

    /** One principal: its type, the ARN entries show, the role (null for a user), and the handle checks go through. */
    record Member(PrincipalType type, String arn, Role role, Principal handle) {}

    final long version;
    final Directory directory;
    final List<String> accounts;
    final Member[] members;
    final int users;
    final int roles;

    private Roster(long version, Directory directory, List<String> accounts, Member[] members, int users, int roles) {
        this.version = version;
        this.directory = directory;
        this.accounts = accounts;
        this.members = members;
        this.users = users;
        this.roles = roles;
    }

    /** The roster of the engine's current snapshot. */
    static Roster of(Engine engine) {
        while (true) {
            long version = engine.version();
            Directory directory = engine.directory();
            List<Account> accounts = directory.accounts().stream().sorted(Comparator.comparing(Account::id)).toList();
            List<Member> members = new ArrayList<>();
            int users = 0;
            int roles = 0;
            try {
                for (Account account : accounts) {
                    for (User user : sorted(account.users().values(), User::arn)) {
                        members.add(new Member(PrincipalType.USER, user.arn(), null,
                                engine.principal(user.arn())));
                        users++;
                    }
                }
                for (Account account : accounts) {
                    for (Role role : sorted(account.allRoles(), Role::arn)) {
                        String session = "arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/"
                                + WhoCan.SESSION_NAME;
                        members.add(new Member(PrincipalType.ROLE, role.arn(), role, engine.principal(session)));
                        roles++;
                    }
                }
            } catch (RequestException e) {
                // Every ARN came from the directory itself, so only a reload in between can make one unknown.
                if (engine.version() == version) {
                    throw new IllegalStateException("a principal of the directory did not resolve: " + e.getMessage(),
                            e);
                }
                continue;
            }
            if (engine.version() == version) {
                return new Roster(version, directory, accounts.stream().map(Account::id).toList(),
                        members.toArray(new Member[0]), users, roles);
            }
        }
    }

    private static <T> List<T> sorted(java.util.Collection<T> values, java.util.function.Function<T, String> key) {
        return values.stream().sorted(Comparator.comparing(key)).toList();
    }
}
