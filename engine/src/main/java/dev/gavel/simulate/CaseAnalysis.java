package dev.gavel.simulate;

import dev.gavel.eval.ConditionalEvaluation;

/**
 * What analysing one case with part of its context unknown gave, and how the verdict fared
 * against the case's expectation: a {@code conditional} verdict passes no expectation.
 */
public record CaseAnalysis(SimulationCase line, ConditionalEvaluation evaluation, CaseResult.Outcome outcome) {}
