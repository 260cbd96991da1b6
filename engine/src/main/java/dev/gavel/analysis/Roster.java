package dev.gavel.analysis;

import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Group;
import dev.gavel.directory.Organization;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every principal of one version of the engine's directory, prepared once for many checks:
 * each user, and one representative session of each role. Preparing compiles the principal's
 * side (a role's session is compiled per handle, a user's is cached by the snapshot), which costs
 * far more than a check, so a roster is kept until the engine's version changes.
 */
final class Roster {

    /**
     * One principal: its type, the ARN entries show, the user or the role (the other null), the
     * handle checks go through, and the statements of its own policies (identity-based, boundary,
     * its account's SCPs) that read context keys.
     */
    record Member(PrincipalType type, String arn, User user, Role role, Principal handle, List<KeyReads> reads) {}

    final long version;
    final Directory directory;
    final List<String> accounts;
    final Member[] members;
    final int users;
    final int roles;
    /** Which members each action may concern, worked out on first use. */
    final ActionIndex index;

    private Roster(long version, Directory directory, List<String> accounts, Member[] members, int users, int roles,
            Engine engine) {
        this.version = version;
        this.directory = directory;
        this.accounts = accounts;
        this.members = members;
        this.users = users;
        this.roles = roles;
        this.index = new ActionIndex(members, version, engine::version);
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
            OwnReads reads = new OwnReads(directory);
            try {
                for (Account account : accounts) {
                    for (User user : sorted(account.users().values(), User::arn)) {
                        members.add(new Member(PrincipalType.USER, user.arn(), user, null,
                                engine.principal(user.arn()), reads.of(user)));
                        users++;
                    }
                }
                for (Account account : accounts) {
                    for (Role role : sorted(account.allRoles(), Role::arn)) {
                        String session = "arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/"
                                + WhoCan.SESSION_NAME;
                        members.add(new Member(PrincipalType.ROLE, role.arn(), null, role,
                                engine.principal(session), reads.of(role)));
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
                        members.toArray(new Member[0]), users, roles, engine);
            }
        }
    }

    /** The statements reading keys in a principal's own policies, each policy scanned once. */
    private static final class OwnReads {
        private final Directory directory;
        private final Map<Policy, List<KeyReads>> byPolicy = new IdentityHashMap<>();

        OwnReads(Directory directory) {
            this.directory = directory;
        }

        List<KeyReads> of(User user) {
            Account account = directory.account(user.accountId());
            List<Policy> policies = new ArrayList<>();
            user.inlinePolicies().forEach(p -> policies.add(p.document()));
            user.attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
            for (String name : user.groupNames()) {
                Group group = account.group(name);
                group.inlinePolicies().forEach(p -> policies.add(p.document()));
                group.attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
            }
            return of(account, policies, user.permissionsBoundaryArn());
        }

        List<KeyReads> of(Role role) {
            Account account = directory.account(role.accountId());
            List<Policy> policies = new ArrayList<>();
            role.inlinePolicies().forEach(p -> policies.add(p.document()));
            role.attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
            return of(account, policies, role.permissionsBoundaryArn());
        }

        private List<KeyReads> of(Account account, List<Policy> policies, String boundaryArn) {
            if (boundaryArn != null) {
                policies.add(account.policy(boundaryArn).document());
            }
            Organization organization = directory.organization();
            if (organization != null) {
                organization.scpLevels(account.id()).forEach(policies::addAll);
            }
            List<KeyReads> reads = new ArrayList<>();
            for (Policy policy : policies) {
                reads.addAll(byPolicy.computeIfAbsent(policy, KeyReads::of));
            }
            return reads.isEmpty() ? List.of() : List.copyOf(reads);
        }
    }

    private static <T> List<T> sorted(java.util.Collection<T> values, java.util.function.Function<T, String> key) {
        return values.stream().sorted(Comparator.comparing(key)).toList();
    }
}
