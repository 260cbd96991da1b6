package dev.gavel.analysis;

import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.ResourcePolicy;
import dev.gavel.directory.Role;
import dev.gavel.match.Arn;
import dev.gavel.policy.Effect;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.PrincipalKind;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Allow statements of a directory's resource policies and trust policies, indexed by the AWS
 * principals they name: everyone ({@code *}), an account (by its id, however written), or an ARN.
 * What-can looks a principal up by the names that may stand for it, rather than reading every
 * policy of the directory for each principal. A NotPrincipal statement is filed under everyone.
 * The index only proposes: the engine decides whether a statement applies.
 */
final class NamedIn {

    private static final String EVERYONE = "*";

    /**
     * An Allow statement that names a principal: of the policy attached to {@code resource} (a
     * role's ARN for a trust policy).
     */
    record Entry(String resource, PolicyType type, Policy policy, Statement statement) {}

    private final Map<String, List<Entry>> byName;
    /** The statements naming everyone or an account, per account: every principal of it shares them. */
    private final Map<String, List<Entry>> byAccount = new ConcurrentHashMap<>();
    private final List<Entry> denials;
    private final List<Policy> sparing;

    private NamedIn(Map<String, List<Entry>> byName, List<Entry> denials) {
        this.byName = byName;
        this.denials = denials;
        this.sparing = denials.stream().filter(entry -> entry.statement().resource() != null
                && entry.statement().resource().negated()).map(Entry::policy).distinct().toList();
    }

    /** The resource and trust policies with a NotResource Deny statement. */
    List<Policy> sparing() {
        return sparing;
    }

    static NamedIn of(Directory directory) {
        Map<String, List<Entry>> byName = new HashMap<>();
        List<Entry> denials = new ArrayList<>();
        for (ResourcePolicy attached : directory.resourcePolicies()) {
            if (attached.policy() != null) {
                file(byName, denials, attached.resourceArn(), PolicyType.RESOURCE, attached.policy());
            }
        }
        for (Account account : directory.accounts()) {
            for (Role role : account.allRoles()) {
                if (role.trustPolicy() != null) {
                    file(byName, denials, role.arn(), PolicyType.TRUST, role.trustPolicy());
                }
            }
        }
        return new NamedIn(byName, List.copyOf(denials));
    }

    private static void file(Map<String, List<Entry>> byName, List<Entry> denials, String resource, PolicyType type,
            Policy policy) {
        for (Statement statement : policy.statements()) {
            if (statement.effect() == Effect.DENY && statement.action() != null) {
                denials.add(new Entry(resource, type, policy, statement));
            }
            if (statement.effect() != Effect.ALLOW || statement.principal() == null) {
                continue;
            }
            Entry entry = new Entry(resource, type, policy, statement);
            Set<String> names = new LinkedHashSet<>();
            if (statement.principal().anyone() || statement.principal().negated()) {
                names.add(EVERYONE);
            }
            for (PrincipalId id : statement.principal().ids()) {
                if (id.kind() == PrincipalKind.AWS) {
                    names.add(name(id.value()));
                }
            }
            names.forEach(name -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(entry));
        }
    }

    /**
     * How an AWS principal value is filed: {@code *}, an account id, a role by {@link #roleKey}, or
     * the ARN as written.
     */
    private static String name(String value) {
        if (value.equals(EVERYONE) || value.chars().allMatch(Character::isDigit)) {
            return value;
        }
        Arn arn = Arn.parse(value);
        if (arn != null && arn.service().equals("iam") && arn.resource().equals("root")) {
            return arn.account();
        }
        return arn != null && arn.service().equals("iam") && arn.resource().startsWith("role/") ? roleKey(value)
                : value;
    }

    /** How a role is filed: by account and name, any path and case, as IAM tells roles apart. */
    static String roleKey(String roleArn) {
        Arn arn = Arn.parse(roleArn);
        String name = roleArn.substring(roleArn.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return "role " + (arn == null ? "" : arn.account()) + " " + name;
    }

    /** Every Deny statement of the directory's resource and trust policies, whoever it names. */
    List<Entry> denials() {
        return denials;
    }

    /**
     * The statements that may name a principal: those naming everyone, its account, or one of its
     * ARNs (a session's, and its role's), in filing order (a statement naming the principal two
     * ways is listed twice).
     */
    List<Entry> naming(String accountId, List<String> arns) {
        List<Entry> found = new ArrayList<>(shared(accountId));
        found.addAll(naming(arns));
        return found;
    }

    /** The statements naming everyone or the account: every principal of the account shares them. */
    List<Entry> shared(String accountId) {
        return byAccount.computeIfAbsent(accountId, account -> {
            List<Entry> shared = new ArrayList<>(byName.getOrDefault(EVERYONE, List.of()));
            shared.addAll(byName.getOrDefault(account, List.of()));
            return List.copyOf(shared);
        });
    }

    /** The statements naming one of these ARNs (a user's, a session's, a role's key). */
    List<Entry> naming(List<String> arns) {
        List<Entry> found = new ArrayList<>();
        for (String arn : arns) {
            found.addAll(byName.getOrDefault(arn, List.of()));
        }
        return found;
    }
}
