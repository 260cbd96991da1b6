package dev.gavel.analysis;

import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Organization;
import dev.gavel.directory.Role;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which keys that differ between sessions of one role the statements covering an action read:
 * in a condition's key, or as a {@code ${...}} variable in a resource pattern or condition value.
 * Every statement that covers the action counts, denies included, since a deny that does not
 * apply to the representative session may apply to another.
 */
final class SessionKeys {

    /** Keys a role's sessions may not share, in lower case; {@code aws:principaltag/} is a prefix. */
    private static final Set<String> SESSION_KEYS = Set.of("aws:userid", "aws:sourceidentity",
            "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:tokenissuetime", "aws:federatedprovider",
            "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4");
    private static final String TAG_PREFIX = "aws:principaltag/";

    private SessionKeys() {}

    /**
     * The session keys that a role's sessions read for the action: in the role's own policies
     * (inline, attached, boundary), its account's SCPs, and the resource side's policies (the
     * resource's or trust policy, the resource account's RCPs), in that order, first spelling kept.
     */
    static List<String> read(Directory directory, Role role, List<Policy> resourceSide, String action) {
        Map<String, String> found = new LinkedHashMap<>();
        Account account = directory.account(role.accountId());
        role.inlinePolicies().forEach(inline -> collect(inline.document(), action, found));
        for (String arn : role.attachedPolicyArns()) {
            collect(account.policy(arn).document(), action, found);
        }
        if (role.permissionsBoundaryArn() != null) {
            collect(account.policy(role.permissionsBoundaryArn()).document(), action, found);
        }
        Organization organization = directory.organization();
        if (organization != null) {
            organization.scpLevels(role.accountId()).forEach(level -> level.forEach(p -> collect(p, action, found)));
        }
        resourceSide.forEach(policy -> collect(policy, action, found));
        return List.copyOf(found.values());
    }

    private static void collect(Policy policy, String action, Map<String, String> found) {
        for (Statement statement : policy.statements()) {
            if (ResourceSide.covers(statement.action(), action)) {
                collect(statement, found);
            }
        }
    }

    private static void collect(Statement statement, Map<String, String> found) {
        keysRead(statement, key -> note(key, found));
    }

    /**
     * Passes each key the statement reads to {@code reader}, as written: each condition's key, and
     * each {@code ${...}} variable of its resource patterns and condition values.
     */
    static void keysRead(Statement statement, Consumer<String> reader) {
        if (statement.resource() != null) {
            for (PolicyString pattern : statement.resource().patterns()) {
                variables(pattern.value(), reader);
            }
        }
        for (Condition condition : statement.conditions()) {
            reader.accept(condition.key());
            for (ConditionValue value : condition.values()) {
                variables(value.text(), reader);
            }
        }
    }

    private static void variables(String text, Consumer<String> reader) {
        int start = text.indexOf("${");
        while (start >= 0) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                return;
            }
            String inside = text.substring(start + 2, end);
            int comma = inside.indexOf(',');
            reader.accept((comma < 0 ? inside : inside.substring(0, comma)).trim());
            start = text.indexOf("${", end);
        }
    }

    private static void note(String key, Map<String, String> found) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (SESSION_KEYS.contains(lower) || lower.startsWith(TAG_PREFIX)) {
            found.putIfAbsent(lower, key);
        }
    }
}
