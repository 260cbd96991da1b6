package dev.gavel.compile;

import dev.gavel.match.ArnPattern;
import dev.gavel.match.Tokens;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.Condition;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement, compiled: its resource patterns as ARN matchers (with policy variables left to
 * substitute per request), its principal element ready to match callers, and its conditions.
 * Which actions it covers is answered once per action when a plan is built, so the hot path
 * never matches action patterns.
 */
final class CompiledStatement {

    final Statement source;
    final Effect effect;
    private final PatternElement action;
    /** Null when the statement has no Resource element: it then applies to the resource it is attached to. */
    private final ArnPattern[] resources;
    private final Template[] resourceTemplates;
    private final boolean resourceNegated;
    private final boolean resourceEverything;
    final PrincipalTest principal;
    private final ConditionTest[] conditions;

    CompiledStatement(Statement statement, Policy policy, Symbols symbols) {
        this.source = statement;
        this.effect = statement.effect();
        this.action = statement.action();
        PatternElement resource = statement.resource();
        if (resource == null) {
            resources = null;
            resourceTemplates = null;
            resourceNegated = false;
            resourceEverything = false;
        } else {
            List<PolicyString> patterns = resource.patterns();
            resources = new ArnPattern[patterns.size()];
            resourceTemplates = new Template[patterns.size()];
            boolean everything = false;
            for (int i = 0; i < resources.length; i++) {
                String value = patterns.get(i).value();
                everything |= value.equals("*");
                resourceTemplates[i] = policy.version().substitutesVariables() ? Template.compile(value, symbols) : null;
                resources[i] = resourceTemplates[i] == null ? ArnPattern.compile(value) : null;
            }
            resourceNegated = resource.negated();
            resourceEverything = everything;
        }
        principal = statement.principal() == null ? null : new PrincipalTest(statement.principal(), statement.effect());
        List<Condition> list = statement.conditions();
        conditions = new ConditionTest[list.size()];
        for (int i = 0; i < conditions.length; i++) {
            conditions[i] = ConditionTest.compile(list.get(i), policy.version(), symbols);
        }
    }

    /** Whether the statement's Action or NotAction covers the action, in any case. */
    boolean coversAction(String actionName) {
        if (action == null) {
            return false;
        }
        boolean any = false;
        for (PolicyString pattern : action.patterns()) {
            any |= Wildcard.matches(pattern.value(), actionName, true);
        }
        return action.negated() != any;
    }

    /**
     * Whether the statement applies to every request for an action it covers: Resource
     * {@code *}, no condition, no Principal or NotPrincipal to match.
     */
    boolean appliesToEverything() {
        return resourceEverything && !resourceNegated && conditions.length == 0 && principal == null;
    }

    /** Whether the statement has no Resource element (in a resource-based policy, its own resource). */
    boolean attachedResource() {
        return resources == null;
    }

    /** Whether the resource read into the scratch matches the Resource or NotResource element. */
    boolean coversResource(EvalScratch scratch) {
        if (resources == null) {
            return true;
        }
        if (resourceEverything) {
            return !resourceNegated;
        }
        boolean any = false;
        for (int i = 0; i < resources.length && !any; i++) {
            if (resources[i] != null) {
                any = resources[i].matches(scratch.resource);
            } else {
                int length = resourceTemplates[i].tokens(scratch);
                any = length >= 0 && Tokens.resource(scratch.tokens, length, scratch.resource);
            }
        }
        return resourceNegated != any;
    }

    /** Whether every condition holds; when explaining, every one is evaluated so that each missing key is seen. */
    boolean conditionsHold(EvalScratch scratch) {
        if (scratch.missing == null) {
            for (ConditionTest condition : conditions) {
                if (!condition.holds(scratch)) {
                    return false;
                }
            }
            return true;
        }
        boolean holds = true;
        for (ConditionTest condition : conditions) {
            holds &= condition.holds(scratch);
        }
        return holds;
    }

    /**
     * The keys a resource index files this statement under, one per pattern (see
     * {@link ResourceIndex#key}); null when some pattern cannot be filed, or the statement has
     * NotResource or no Resource element.
     */
    List<String> resourceKeys() {
        if (resources == null || resourceNegated || resourceEverything) {
            return null;
        }
        List<String> keys = new ArrayList<>(resources.length);
        for (int i = 0; i < resources.length; i++) {
            String key = resources[i] != null ? resources[i].resourceKey() : resourceTemplates[i].resourceKey();
            if (key == null) {
                return null;
            }
            keys.add(key);
        }
        return keys;
    }
}
