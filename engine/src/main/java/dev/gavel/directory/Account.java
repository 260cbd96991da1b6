package dev.gavel.directory;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * One AWS account's IAM entities. Names are unique within an account regardless of case, as in
 * IAM, so lookups by name ignore case.
 *
 * @param policies the managed policies the account's dump holds, AWS managed ones included, by ARN
 */
public record Account(String id, Map<String, User> users, Map<String, Group> groups, Map<String, Role> roles,
        Map<String, ManagedPolicy> policies) {

    public Account {
        users = Map.copyOf(users);
        groups = Map.copyOf(groups);
        roles = Map.copyOf(roles);
        policies = Map.copyOf(policies);
    }

    /** The map key for a name: IAM names are unique without regard to case. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public User user(String name) {
        return users.get(key(name));
    }

    public Group group(String name) {
        return groups.get(key(name));
    }

    public Role role(String name) {
        return roles.get(key(name));
    }

    public ManagedPolicy policy(String arn) {
        return policies.get(arn);
    }

    public Collection<Role> allRoles() {
        return roles.values();
    }
}
