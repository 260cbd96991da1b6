package dev.gavel.analysis;

import dev.gavel.eval.PolicySet;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /** The session keys read by the statements of the policies that cover the action, first spelling kept. */
    static List<String> read(PolicySet policies, String action) {
        Map<String, String> found = new LinkedHashMap<>();
        List<Policy> all = new ArrayList<>();
        policies.scps().forEach(all::addAll);
        policies.rcps().forEach(all::addAll);
        all.addAll(policies.identityPolicies());
        add(all, policies.permissionBoundary());
        all.addAll(policies.sessionPolicies());
        add(all, policies.endpointPolicy());
        add(all, policies.resourcePolicy());
        for (Policy policy : all) {
            for (Statement statement : policy.statements()) {
                if (ResourceSide.covers(statement.action(), action)) {
                    collect(statement, found);
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static void add(List<Policy> all, Policy policy) {
        if (policy != null) {
            all.add(policy);
        }
    }

    private static void collect(Statement statement, Map<String, String> found) {
        if (statement.resource() != null) {
            for (PolicyString pattern : statement.resource().patterns()) {
                variables(pattern.value(), found);
            }
        }
        for (Condition condition : statement.conditions()) {
            note(condition.key(), found);
            for (ConditionValue value : condition.values()) {
                variables(value.text(), found);
            }
        }
    }

    private static void variables(String text, Map<String, String> found) {
        int start = text.indexOf("${");
        while (start >= 0) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                return;
            }
            String inside = text.substring(start + 2, end);
            int comma = inside.indexOf(',');
            note((comma < 0 ? inside : inside.substring(0, comma)).trim(), found);
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
