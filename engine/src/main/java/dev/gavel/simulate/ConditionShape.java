package dev.gavel.simulate;

import dev.gavel.eval.ConditionClause;
import dev.gavel.eval.Residual;
import dev.gavel.eval.ResourceClause;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.PolicyString;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a residual condition says, without what it does not: the parts of an {@code AND} or an
 * {@code OR} are a set, and keys are compared in lower case, as IAM compares them. Equal shapes
 * are the same condition as far as a case's author can tell; the statements the tests come from
 * are left out.
 */
sealed interface ConditionShape {

    /** {@code true} or {@code false}. */
    record Constant(boolean value) implements ConditionShape {}

    /** Every part holds; never directly holds another {@code All}. */
    record All(Set<ConditionShape> parts) implements ConditionShape {}

    /** Some part holds; never directly holds another {@code Any}. */
    record Any(Set<ConditionShape> parts) implements ConditionShape {}

    /** The part does not hold. */
    record Negation(ConditionShape part) implements ConditionShape {}

    /** A condition test: {@code OPERATOR KEY [VALUES]}, the key in lower case, the values in order. */
    record Test(String operator, String key, List<String> values) implements ConditionShape {
        public Test {
            key = key.toLowerCase(Locale.ROOT);
            values = List.copyOf(values);
        }
    }

    /** A Resource or NotResource element on the requested resource: {@code resource "ARN" matches [PATTERNS]}. */
    record ResourceTest(String resource, boolean negated, List<String> patterns) implements ConditionShape {
        public ResourceTest {
            patterns = List.copyOf(patterns);
        }
    }

    /** The shape of a computed residual. */
    static ConditionShape of(Residual residual) {
        if (residual instanceof Residual.Truth truth) {
            return new Constant(truth.value());
        }
        if (residual instanceof Residual.And and) {
            return all(and.children().stream().map(ConditionShape::of).toList());
        }
        if (residual instanceof Residual.Or or) {
            return any(or.children().stream().map(ConditionShape::of).toList());
        }
        if (residual instanceof Residual.Not not) {
            return new Negation(of(not.child()));
        }
        if (residual instanceof ConditionClause clause) {
            return new Test(clause.condition().operator().jsonName(), clause.condition().key(),
                    clause.condition().values().stream().map(ConditionValue::text).toList());
        }
        ResourceClause clause = (ResourceClause) residual;
        return new ResourceTest(clause.resource(), clause.element().negated(),
                clause.element().patterns().stream().map(PolicyString::value).toList());
    }

    /** Every part, with the parts of a part that is itself an {@code All} taken in. */
    static ConditionShape all(List<ConditionShape> parts) {
        Set<ConditionShape> flat = new LinkedHashSet<>();
        parts.forEach(part -> flat.addAll(part instanceof All all ? all.parts() : Set.of(part)));
        return flat.size() == 1 ? flat.iterator().next() : new All(Set.copyOf(flat));
    }

    /** Any part, with the parts of a part that is itself an {@code Any} taken in. */
    static ConditionShape any(List<ConditionShape> parts) {
        Set<ConditionShape> flat = new LinkedHashSet<>();
        parts.forEach(part -> flat.addAll(part instanceof Any any ? any.parts() : Set.of(part)));
        return flat.size() == 1 ? flat.iterator().next() : new Any(Set.copyOf(flat));
    }
}
