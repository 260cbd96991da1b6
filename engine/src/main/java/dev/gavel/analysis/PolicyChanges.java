package dev.gavel.analysis;

import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Group;
import dev.gavel.directory.InlinePolicy;
import dev.gavel.directory.Organization;
import dev.gavel.directory.ResourcePolicy;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyWriter;
import dev.gavel.policy.SourceLocation;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two versions of a directory, by policy: each policy is known by where it
 * sits (a managed policy by account and ARN, an inline one by its owner and name, an SCP or RCP by
 * name, a resource's policy by the resource, a trust policy by its role), and a changed policy
 * contributes the statements that are in one version but not the other. A request's answer can
 * only change where a statement covering its action changed, so a principal's answers need
 * recomputing only for the actions those statements cover: the statements changed in the policies
 * that apply to it (all of a policy's statements when it was attached, detached, added or
 * removed), and those changed on any resource's side. A principal whose own facts changed (its
 * tags, groups, path), or whose boundary or SCPs were set or lifted (a limit lifted changes what
 * it did not allow, whatever that is), is recomputed in full.
 */
final class PolicyChanges {

    /** The statements a principal's answers may differ by; {@code all} when any action may differ. */
    record Affected(boolean all, List<Statement> statements) {

        static final Affected NONE = new Affected(false, List.of());

        boolean none() {
            return !all && statements.isEmpty();
        }
    }

    private final Directory before;
    private final Directory after;
    private final Map<String, Policy> was;
    private final Map<String, Policy> is;
    private final Map<String, List<Statement>> changedByKey = new HashMap<>();
    private final List<Statement> resourceSide = new ArrayList<>();
    /** The resources whose own policy (or, for a role, trust policy) changed, with the statements that did. */
    private final Map<String, List<Statement>> resourcePolicies = new LinkedHashMap<>();
    /** The resources whose entry appeared, went, or changed owner or Block Public Access setting. */
    private final List<String> reowned = new ArrayList<>();
    /** Where each changed statement sits in the old version, and in the new: its policy's name and its line:column. */
    private final Set<String> changedBefore = new HashSet<>();
    private final Set<String> changedAfter = new HashSet<>();
    /** Each policy's statements as text, kept per document: a load shares one document among its users. */
    private final Map<Policy, Map<String, Integer>> texts = new IdentityHashMap<>();

    PolicyChanges(Directory before, Directory after) {
        this.before = before;
        this.after = after;
        this.was = keyed(before);
        this.is = keyed(after);
        Map<String, String> owned = owners(before);
        Map<String, String> owns = owners(after);
        Set<String> resources = new TreeSet<>(owned.keySet());
        resources.addAll(owns.keySet());
        for (String resource : resources) {
            if (!Objects.equals(owned.get(resource), owns.get(resource))) {
                reowned.add(resource);
            }
        }
        Set<String> keys = new LinkedHashSet<>(was.keySet());
        keys.addAll(is.keySet());
        for (String key : keys) {
            List<Statement> changed = changed(was.get(key), is.get(key));
            if (!changed.isEmpty()) {
                changedByKey.put(key, changed);
                if (key.startsWith("resource ") || key.startsWith("trust ") || key.startsWith("rcp ")) {
                    resourceSide.addAll(changed);
                }
                if (key.startsWith("resource ") || key.startsWith("trust ")) {
                    resourcePolicies.put(key.substring(key.indexOf(' ') + 1), changed);
                }
            }
        }
    }

    /**
     * The resources whose entry appeared, went, or changed owning account or Block Public Access
     * setting: whether a request on them is cross-account, for every action, may have changed, so
     * they are compared on their own ({@link Diff}).
     */
    List<String> reowned() {
        return reowned;
    }

    /**
     * The resources whose own policy, or trust policy for a role, changed, by ARN, with the
     * statements in one version and not the other: what they grant principals outside the
     * directory may have changed.
     */
    Map<String, List<Statement>> resourcePolicies() {
        return resourcePolicies;
    }

    /** Whether any policy changed at all. */
    boolean any() {
        return !changedByKey.isEmpty();
    }

    /** The statements of resources' sides (resource, trust and resource control policies) that changed. */
    List<Statement> resourceSide() {
        return resourceSide;
    }

    /** Each resource entry's owning account, by resource ARN. */
    private static Map<String, String> owners(Directory directory) {
        Map<String, String> owners = new HashMap<>();
        for (ResourcePolicy entry : directory.resourcePolicies()) {
            owners.put(entry.resourceArn(), entry.accountId() + " " + entry.restrictPublicBuckets());
        }
        return owners;
    }

    /** What may differ for a principal held by both versions (by ARN: a user's or a role's). */
    Affected forPrincipal(String arn) {

        User userBefore = before.user(arn);
        User userAfter = after.user(arn);
        Role roleBefore = before.role(arn);
        Role roleAfter = after.role(arn);
        if (userBefore != null && userAfter != null) {
            if (!userBefore.tags().equals(userAfter.tags()) || !userBefore.groupNames().equals(userAfter.groupNames())
                    || !Objects.equals(userBefore.path(), userAfter.path())
                    || !Objects.equals(userBefore.id(), userAfter.id())) {
                return new Affected(true, List.of());
            }
            return affected(applying(before, userBefore), applying(after, userAfter));
        }
        if (roleBefore != null && roleAfter != null) {
            if (!roleBefore.tags().equals(roleAfter.tags()) || !Objects.equals(roleBefore.path(), roleAfter.path())
                    || !Objects.equals(roleBefore.id(), roleAfter.id())) {
                return new Affected(true, List.of());
            }
            return affected(applying(before, roleBefore), applying(after, roleAfter));
        }
        return new Affected(true, List.of());
    }

    private Affected affected(List<String> applied, List<String> applies) {
        List<Statement> statements = new ArrayList<>(resourceSide);
        Set<String> keys = new LinkedHashSet<>(applied);
        keys.addAll(applies);
        for (String key : keys) {
            if (applied.contains(key) && applies.contains(key)) {
                statements.addAll(changedByKey.getOrDefault(policyKey(key), List.of()));
            } else if (key.startsWith("boundary ") || key.startsWith("scp ")) {
                // A limit set or lifted changes what it did not allow: any action.
                return new Affected(true, List.of());
            } else {
                // Attached or detached: every statement of the policy counts.
                Policy policy = applied.contains(key) ? was.get(key) : is.get(key);
                if (policy != null) {
                    statements.addAll(policy.statements());
                }
            }
        }
        return statements.isEmpty() ? Affected.NONE : new Affected(false, statements);
    }

    /** The keys of the policies that apply to a user: its own, its groups', its boundary, its account's SCPs. */
    private static List<String> applying(Directory directory, User user) {
        Account account = directory.account(user.accountId());
        List<String> found = new ArrayList<>();
        user.inlinePolicies().forEach(p -> found.add(inlineKey("user " + user.arn(), p)));
        user.attachedPolicyArns().forEach(a -> found.add(managedKey(account.id(), a)));
        for (String name : user.groupNames()) {
            Group group = account.group(name);
            group.inlinePolicies().forEach(p -> found.add(inlineKey("group " + group.arn(), p)));
            group.attachedPolicyArns().forEach(a -> found.add(managedKey(account.id(), a)));
        }
        limits(directory, account.id(), user.permissionsBoundaryArn(), found);
        return found;
    }

    private static List<String> applying(Directory directory, Role role) {
        List<String> found = new ArrayList<>();
        role.inlinePolicies().forEach(p -> found.add(inlineKey("role " + role.arn(), p)));
        role.attachedPolicyArns().forEach(a -> found.add(managedKey(role.accountId(), a)));
        limits(directory, role.accountId(), role.permissionsBoundaryArn(), found);
        return found;
    }

    private static void limits(Directory directory, String accountId, String boundaryArn, List<String> found) {
        if (boundaryArn != null) {
            found.add("boundary " + managedKey(accountId, boundaryArn));
        }
        Organization organization = directory.organization();
        if (organization != null) {
            Map<Policy, String> names = new IdentityHashMap<>();
            organization.scps().forEach((name, scp) -> names.put(scp, name));
            List<List<Policy>> levels = organization.scpLevels(accountId);
            for (int level = 0; level < levels.size(); level++) {
                for (Policy scp : levels.get(level)) {
                    found.add("scp " + names.get(scp) + " at level " + level);
                }
            }
        }
    }

    /**
     * The key of the policy itself for where it applies: an SCP applies at a level of the
     * organization ({@code scp NAME at level L}: the same SCP at another level is set at one and
     * lifted at the other), but changes as one policy.
     */
    private static String policyKey(String applyingKey) {
        int level = applyingKey.indexOf(" at level ");
        return applyingKey.startsWith("scp ") && level > 0 ? applyingKey.substring(0, level) : applyingKey;
    }

    private static String inlineKey(String owner, InlinePolicy policy) {
        return owner + " inline " + policy.name();
    }

    private static String managedKey(String accountId, String arn) {
        return "managed " + accountId + " " + arn;
    }

    /** Every policy of a directory by where it sits. */
    private static Map<String, Policy> keyed(Directory directory) {
        Map<String, Policy> byKey = new HashMap<>();
        for (Account account : directory.accounts()) {
            account.policies().values().forEach(managed -> {
                byKey.put(managedKey(account.id(), managed.arn()), managed.document());
                byKey.put("boundary " + managedKey(account.id(), managed.arn()), managed.document());
            });
            for (User user : account.users().values()) {
                user.inlinePolicies().forEach(p -> byKey.put(inlineKey("user " + user.arn(), p), p.document()));
            }
            for (Group group : account.groups().values()) {
                group.inlinePolicies().forEach(p -> byKey.put(inlineKey("group " + group.arn(), p), p.document()));
            }
            for (Role role : account.allRoles()) {
                role.inlinePolicies().forEach(p -> byKey.put(inlineKey("role " + role.arn(), p), p.document()));
                if (role.trustPolicy() != null) {
                    byKey.put("trust " + role.arn(), role.trustPolicy());
                }
            }
        }
        for (ResourcePolicy attached : directory.resourcePolicies()) {
            if (attached.policy() != null) {
                byKey.put("resource " + attached.resourceArn(), attached.policy());
            }
        }
        Organization organization = directory.organization();
        if (organization != null) {
            organization.scps().forEach((name, scp) -> byKey.put("scp " + name, scp));
            organization.rcps().forEach((name, rcp) -> byKey.put("rcp " + name, rcp));
        }
        return byKey;
    }


    /** The statements in one version of a policy and not in the other (a missing version has none). */
    private List<Statement> changed(Policy was, Policy is) {
        if (was == is) {
            return List.of();
        }
        Map<String, Integer> wasTexts = texts(was);
        Map<String, Integer> isTexts = texts(is);
        if (wasTexts.equals(isTexts) && versionOf(was).equals(versionOf(is))) {
            return List.of();
        }
        List<Statement> changed = new ArrayList<>();
        collect(was, isTexts, versionOf(was).equals(versionOf(is)), changed, changedBefore);
        collect(is, wasTexts, versionOf(was).equals(versionOf(is)), changed, changedAfter);
        return changed;
    }

    private static String versionOf(Policy policy) {
        return policy == null ? "" : Objects.toString(policy.version());
    }

    private static void collect(Policy policy, Map<String, Integer> other, boolean sameVersion,
            List<Statement> changed, Set<String> positions) {
        if (policy == null) {
            return;
        }
        for (Statement statement : policy.statements()) {
            if (!sameVersion || !other.containsKey(text(policy, statement))) {
                changed.add(statement);
                positions.add(position(policy.source(), statement.location()));
            }
        }
    }

    /**
     * Whether a statement an entry names (by its policy's name and its position) is one the other
     * version does not hold as it is: in the new version's entries when {@code after}, else the old's.
     */
    boolean changed(MatchedStatement statement, boolean after) {
        return (after ? changedAfter : changedBefore).contains(position(statement.policy(), statement.location()));
    }

    private static String position(String policy, SourceLocation location) {
        return policy + " at " + location;
    }

    private Map<String, Integer> texts(Policy policy) {
        if (policy == null) {
            return Map.of();
        }
        return texts.computeIfAbsent(policy, p -> {
            Map<String, Integer> counted = new HashMap<>();
            for (Statement statement : p.statements()) {
                counted.merge(text(p, statement), 1, Integer::sum);
            }
            return counted;
        });
    }

    /** A statement's meaning as text: the statement alone, written out, without its Sid or position. */
    private static String text(Policy policy, Statement statement) {
        Statement bare = new Statement(0, null, statement.effect(), statement.action(), statement.resource(),
                statement.principal(), statement.conditions(), SourceLocation.NONE);
        return PolicyWriter.write(new Policy(null, policy.version(), null, List.of(bare), SourceLocation.NONE, -1, -1));
    }
}
