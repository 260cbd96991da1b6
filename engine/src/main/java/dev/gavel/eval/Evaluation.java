package dev.gavel.eval;

/** A decision with its explanation. */
public record Evaluation(Decision decision, Explanation explanation) {}
