package dev.gavel.simulate;

import dev.gavel.eval.Residual;

/**
 * The condition a case expects a {@code conditional} answer to carry, written as Gavel prints one
 * ({@link Residual#text()}), such as {@code Bool aws:MultiFactorAuthPresent ["true"] AND NOT
 * (StringEquals aws:ResourceTag/env ["prod"])}. It matches a residual that says the same: the
 * parts of an {@code AND} or {@code OR} may come in any order, keys in any case, and extra
 * parentheses or white space do not matter; operators and values are compared as written.
 */
public final class ExpectedCondition {

    private final String text;
    private final ConditionShape shape;

    private ExpectedCondition(String text, ConditionShape shape) {
        this.text = text;
        this.shape = shape;
    }

    /**
     * Reads an expected condition.
     *
     * @throws IllegalArgumentException saying at which character, from 1, the text is not a condition
     */
    public static ExpectedCondition parse(String text) {
        return new ExpectedCondition(text, ConditionText.read(text));
    }

    /** Whether the residual is this condition. */
    public boolean matches(Residual residual) {
        return shape.equals(ConditionShape.of(residual));
    }

    /** The condition as the case writes it. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
