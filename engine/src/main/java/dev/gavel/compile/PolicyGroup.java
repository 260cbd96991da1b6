package dev.gavel.compile;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PolicyType;
import java.util.ArrayList;
import java.util.List;

/**
 * Policies that play one role in a request, in order: a principal's identity policies, its
 * boundary, its session policies, one organization level of SCPs or RCPs, a resource's policy, an
 * endpoint's policy. For each action asked about, it works out once which of their statements
 * cover the action (denies and allows apart, in policy order) and remembers that {@link Plan}.
 * Groups are immutable and shared between every principal that has the same policies.
 */
final class PolicyGroup {

    /** A statement that covers the action, with how explanations name it. */
    record Entry(CompiledStatement statement, MatchedStatement matched) {}

    /**
     * The statements of the group that cover one action. When one of them applies to every
     * request (Resource {@code *}, no condition, no Principal to match), the step is settled
     * without looking further.
     */
    static final class Plan {
        final Entry[] denies;
        final Entry[] allows;
        final ResourceIndex denyIndex;
        final ResourceIndex allowIndex;
        final boolean alwaysDenies;
        final boolean alwaysAllows;

        Plan(Entry[] denies, Entry[] allows, boolean principals) {
            this.denies = denies;
            this.allows = allows;
            this.denyIndex = ResourceIndex.of(denies);
            this.allowIndex = ResourceIndex.of(allows);
            // In a policy that names principals every statement must match the caller first.
            this.alwaysDenies = !principals && anyUnconditional(denies);
            this.alwaysAllows = !principals && anyUnconditional(allows);
        }

        private static boolean anyUnconditional(Entry[] entries) {
            for (Entry entry : entries) {
                if (entry.statement().appliesToEverything()) {
                    return true;
                }
            }
            return false;
        }
    }

    static final PolicyGroup[] NONE = new PolicyGroup[0];

    final CompiledPolicy[] policies;
    final PolicyType type;
    final int level;
    private final ActionMemo<Plan> plans = new ActionMemo<>();

    PolicyGroup(CompiledPolicy[] policies, PolicyType type, int level) {
        this.policies = policies;
        this.type = type;
        this.level = level;
    }

    /** The plan for an action; worked out on first use. */
    Plan plan(int actionId, String actionName) {
        Plan plan = plans.get(actionId);
        if (plan == null) {
            plan = build(actionName);
            plans.put(actionId, plan);
        }
        return plan;
    }

    private Plan build(String actionName) {
        List<Entry> denies = new ArrayList<>();
        List<Entry> allows = new ArrayList<>();
        boolean attachedApplies = type == PolicyType.RESOURCE || type == PolicyType.TRUST;
        for (CompiledPolicy policy : policies) {
            for (CompiledStatement statement : policy.statements) {
                if (!statement.coversAction(actionName) || statement.attachedResource() && !attachedApplies) {
                    continue;
                }
                Entry entry = new Entry(statement, new MatchedStatement(type, level, policy.source.source(),
                        statement.source.label(), statement.effect, statement.source.location()));
                (statement.effect == Effect.DENY ? denies : allows).add(entry);
            }
        }
        return new Plan(denies.toArray(new Entry[0]), allows.toArray(new Entry[0]), type.namesPrincipals());
    }

    boolean isEmpty() {
        return policies.length == 0;
    }
}
