package dev.gavel.compile;

import dev.gavel.eval.Caller;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled evaluator for one-off requests that bring their own policies, as simulation cases
 * do: compiles the policy set (reusing what it compiled for the same policy objects before) and
 * decides with the compiled logic. For principals of a directory the engine's snapshots compile
 * everything ahead instead.
 *
 * <p>Not thread-safe: one per thread.
 */
public final class PolicySetEvaluator {

    /** How many compiled policies are kept for reuse before starting over. */
    private static final int MAX_REMEMBERED = 4_096;

    private final Symbols symbols = new Symbols();
    private final Evaluator evaluator = new Evaluator();
    private final EvalScratch scratch = new EvalScratch();
    private final SlotValues request = new SlotValues(32);
    private final Map<Policy, CompiledPolicy> compiled = new IdentityHashMap<>();

    /** Decides a request and explains the decision. */
    public Evaluation evaluate(Request request, PolicySet policies) {
        Compiled parts = compile(request, policies);
        return evaluator.explain(parts.subject, parts.rcps, parts.target, parts.endpoint,
                symbols.action(request.action()), request.action(), request.resource(), request.resourceAccount(),
                scratch);
    }

    /** Decides a request on the fast path, without an explanation. */
    public Decision decide(Request request, PolicySet policies) {
        Compiled parts = compile(request, policies);
        return evaluator.decide(parts.subject, parts.rcps, parts.target, parts.endpoint,
                symbols.action(request.action()), request.action(), request.resource(), request.resourceAccount(),
                scratch);
    }

    private record Compiled(Subject subject, PolicyGroup[] rcps, CompiledResource target, PolicyGroup endpoint) {}

    private Compiled compile(Request request, PolicySet policies) {
        fill(request.context());
        CallerView caller = new CallerView(Caller.parse(request.principal(), request.context()));
        Subject subject = new Subject(caller, levels(policies.scps(), PolicyType.SCP),
                group(policies.identityPolicies(), PolicyType.IDENTITY),
                policies.permissionBoundary() == null ? null
                        : group(List.of(policies.permissionBoundary()), PolicyType.BOUNDARY),
                policies.sessionPolicies().isEmpty() ? null : group(policies.sessionPolicies(), PolicyType.SESSION),
                null);
        Policy resource = policies.resourcePolicy();
        CompiledResource target = CompiledResource.of(resource, resource == null ? null : compile(resource),
                policies.restrictPublicBuckets());
        PolicyGroup endpoint = policies.endpointPolicy() == null ? null
                : group(List.of(policies.endpointPolicy()), PolicyType.ENDPOINT);
        return new Compiled(subject, levels(policies.rcps(), PolicyType.RCP), target, endpoint);
    }

    private void fill(RequestContext context) {
        request.clear();
        for (RequestContext.Entry entry : context.entries()) {
            int slot = symbols.key(entry.key());
            if (entry.multivalued()) {
                request.putAll(slot, entry.values());
            } else {
                request.put(slot, entry.values().get(0));
            }
        }
        scratch.request = request;
        scratch.principal = null;
        scratch.facts.clear();
    }

    private PolicyGroup[] levels(List<List<Policy>> levels, PolicyType type) {
        PolicyGroup[] groups = new PolicyGroup[levels.size()];
        for (int level = 0; level < groups.length; level++) {
            groups[level] = new PolicyGroup(compileAll(levels.get(level)), type, level);
        }
        return groups;
    }

    private PolicyGroup group(List<Policy> policies, PolicyType type) {
        return new PolicyGroup(compileAll(policies), type, -1);
    }

    private CompiledPolicy[] compileAll(List<Policy> policies) {
        CompiledPolicy[] result = new CompiledPolicy[policies.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = compile(policies.get(i));
        }
        return result;
    }

    private CompiledPolicy compile(Policy policy) {
        if (compiled.size() > MAX_REMEMBERED) {
            compiled.clear();
        }
        return compiled.computeIfAbsent(policy, p -> new CompiledPolicy(p, symbols));
    }
}
