package dev.gavel.eval;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What must hold of a request's unknown context keys for an answer: an and/or/not tree whose
 * leaves are {@link Clause}s, always simplified. The factories {@link #and}, {@link #or} and
 * {@link #not} fold {@code true} and {@code false}, flatten nested ands and ors, drop repeated
 * children, and fold a child beside its own negation; the constructors refuse trees they would
 * have simplified, so every residual is in that form.
 */
public sealed interface Residual permits Residual.Truth, Residual.And, Residual.Or, Residual.Not, Clause {

    /** Holds whatever the unknown keys are. */
    Residual TRUE = new Truth(true);
    /** Holds for no value of the unknown keys. */
    Residual FALSE = new Truth(false);

    /** Whether the residual holds for a request whose every key is known: the known ones and an assignment. */
    boolean holds(RequestContext complete);

    /** A constant: the answer does not depend on the unknown keys. */
    record Truth(boolean value) implements Residual {
        @Override
        public boolean holds(RequestContext complete) {
            return value;
        }

        @Override
        public String toString() {
            return ResidualText.render(this);
        }
    }

    /** Every child holds; at least two children, none a constant or an {@code And}. */
    record And(List<Residual> children) implements Residual {
        public And {
            children = requireSimplified(children, And.class);
        }

        @Override
        public boolean holds(RequestContext complete) {
            return children.stream().allMatch(child -> child.holds(complete));
        }

        @Override
        public String toString() {
            return ResidualText.render(this);
        }
    }

    /** Some child holds; at least two children, none a constant or an {@code Or}. */
    record Or(List<Residual> children) implements Residual {
        public Or {
            children = requireSimplified(children, Or.class);
        }

        @Override
        public boolean holds(RequestContext complete) {
            return children.stream().anyMatch(child -> child.holds(complete));
        }

        @Override
        public String toString() {
            return ResidualText.render(this);
        }
    }

    /** The child does not hold; the child is neither a constant nor a {@code Not}. */
    record Not(Residual child) implements Residual {
        public Not {
            if (child instanceof Truth || child instanceof Not) {
                throw new IllegalArgumentException("not simplified: NOT of " + child);
            }
        }

        @Override
        public boolean holds(RequestContext complete) {
            return !child.holds(complete);
        }

        @Override
        public String toString() {
            return ResidualText.render(this);
        }
    }

    /** The constant for a known answer. */
    static Residual of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** Whether this is the constant {@code true}. */
    default boolean isTrue() {
        return this instanceof Truth truth && truth.value();
    }

    /** Whether this is the constant {@code false}. */
    default boolean isFalse() {
        return this instanceof Truth truth && !truth.value();
    }

    /** Every clause of the tree, once each, in the order they are written. */
    default List<Clause> clauses() {
        Set<Clause> found = new LinkedHashSet<>();
        collectClauses(this, found);
        return List.copyOf(found);
    }

    /** The text form, such as {@code StringEquals aws:ResourceTag/team ["payments"] AND NOT (...)}. */
    default String text() {
        return ResidualText.render(this);
    }

    /** All of the residuals, simplified. */
    static Residual and(List<Residual> residuals) {
        return combine(residuals, true);
    }

    /** All of the residuals, simplified. */
    static Residual and(Residual... residuals) {
        return and(List.of(residuals));
    }

    /** Any of the residuals, simplified. */
    static Residual or(List<Residual> residuals) {
        return combine(residuals, false);
    }

    /** Any of the residuals, simplified. */
    static Residual or(Residual... residuals) {
        return or(List.of(residuals));
    }

    /** The negation, simplified. */
    static Residual not(Residual residual) {
        if (residual instanceof Truth truth) {
            return of(!truth.value());
        }
        if (residual instanceof Not not) {
            return not.child();
        }
        return new Not(residual);
    }

    private static Residual combine(List<Residual> residuals, boolean conjunction) {
        // In an AND, true is neutral and false absorbs; in an OR the other way round.
        Set<Residual> children = new LinkedHashSet<>();
        for (Residual residual : residuals) {
            for (Residual child : flatten(residual, conjunction)) {
                if (child instanceof Truth truth) {
                    if (truth.value() != conjunction) {
                        return truth;
                    }
                    continue;
                }
                if (children.contains(not(child))) {
                    return of(!conjunction);
                }
                children.add(child);
            }
        }
        if (children.isEmpty()) {
            return of(conjunction);
        }
        if (children.size() == 1) {
            return children.iterator().next();
        }
        List<Residual> list = List.copyOf(children);
        return conjunction ? new And(list) : new Or(list);
    }

    private static List<Residual> flatten(Residual residual, boolean conjunction) {
        if (conjunction && residual instanceof And and) {
            return and.children();
        }
        if (!conjunction && residual instanceof Or or) {
            return or.children();
        }
        return List.of(residual);
    }

    private static List<Residual> requireSimplified(List<Residual> children, Class<?> kind) {
        List<Residual> copy = List.copyOf(children);
        if (copy.size() < 2 || copy.stream().anyMatch(child -> child instanceof Truth || kind.isInstance(child))
                || new LinkedHashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("not simplified: " + kind.getSimpleName() + " of " + copy);
        }
        return copy;
    }

    private static void collectClauses(Residual residual, Set<Clause> found) {
        if (residual instanceof Clause clause) {
            found.add(clause);
        } else if (residual instanceof And and) {
            and.children().forEach(child -> collectClauses(child, found));
        } else if (residual instanceof Or or) {
            or.children().forEach(child -> collectClauses(child, found));
        } else if (residual instanceof Not not) {
            collectClauses(not.child(), found);
        }
    }
}
