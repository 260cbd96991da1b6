package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.Residual;
import java.util.ArrayList;
import java.util.List;

/**
 * A principal of the directory that may perform the action on the resource.
 *
 * @param arn the user's ARN, or the role's: a role is decided as a session of it
 * @param verdict {@code allowed}, or {@code conditional}: allowed only when {@code condition} holds
 * @param statements the statements that decided, as {@code Engine.explain} names them; for a
 *     conditional entry, those its condition's tests come from
 * @param sessionKeys for a conditional role, the keys that statements covering the action read and
 *     that differ from one session to another ({@code aws:userid}, {@code aws:PrincipalTag/team}...),
 *     in the order first read: its condition may test them, so some sessions are allowed and others
 *     not. Empty for an allowed entry, which holds for every session of a role
 * @param via for a principal that reaches the action only by assuming roles, those roles in the
 *     order it assumes them (the last one performs the action); empty for a principal that may
 *     perform it itself. The statements and session keys are then those of its first step, the
 *     {@code sts:AssumeRole} on the first role.
 * @param condition for a conditional entry, what must hold of the unknown keys for the request to
 *     be allowed, as {@code Engine.analyse} gives it; null for an allowed one. For a principal
 *     reached by assuming roles, the AND of its steps' conditions: what makes this chain work,
 *     though another chain of the same length might work under another
 * @param stepConditions for a principal reached by assuming roles, the condition of each step as
 *     {@code Engine.analyse} gives it ({@code true} for a step always allowed): its
 *     {@code sts:AssumeRole} on the first role of {@code via}, each role's on the next, then the
 *     last role's request itself; so one more than {@code via}. Empty for a principal that may
 *     perform the action itself
 */
public record Grant(PrincipalType type, String arn, Verdict verdict, List<MatchedStatement> statements,
        List<String> sessionKeys, List<String> via, Residual condition, List<Residual> stepConditions) {

    public Grant {
        if ((verdict == Verdict.CONDITIONAL) != (condition != null)) {
            throw new IllegalArgumentException("a conditional entry has a condition, an allowed one none");
        }
        if (!via.isEmpty() && stepConditions.size() != via.size() + 1 || via.isEmpty() && !stepConditions.isEmpty()) {
            throw new IllegalArgumentException("a chain has one condition per step, a direct entry none");
        }
        statements = List.copyOf(statements);
        sessionKeys = List.copyOf(sessionKeys);
        via = List.copyOf(via);
        stepConditions = List.copyOf(stepConditions);
    }

    /** A principal that may perform the action itself. */
    static Grant direct(PrincipalType type, String arn, Verdict verdict, List<MatchedStatement> statements,
            List<String> sessionKeys, Residual condition) {
        return new Grant(type, arn, verdict, statements, sessionKeys, List.of(), condition, List.of());
    }

    /**
     * The chain of {@code assumer}, an entry for {@code sts:AssumeRole} on {@code role}, through
     * {@code role}'s own entry: null when the steps' conditions, read together, cannot all hold.
     */
    static Grant through(Grant assumer, Grant role) {
        List<String> via = new ArrayList<>(List.of(role.arn()));
        via.addAll(role.via());
        List<Residual> steps = new ArrayList<>(List.of(assumer.when()));
        if (role.via().isEmpty()) {
            steps.add(role.when());
        } else {
            steps.addAll(role.stepConditions());
        }
        Residual condition = Residual.and(steps);
        if (condition.isFalse()) {
            return null;
        }
        return new Grant(assumer.type(), assumer.arn(), condition.isTrue() ? Verdict.ALLOWED : Verdict.CONDITIONAL,
                assumer.statements(), assumer.sessionKeys(), via, condition.isTrue() ? null : condition, steps);
    }

    /** When the entry holds: its condition, or {@code true} for an allowed entry. */
    Residual when() {
        return condition == null ? Residual.TRUE : condition;
    }

    /** Whether another session of the role may get another answer: its condition reads session keys. */
    public boolean dependsOnSession() {
        return !sessionKeys.isEmpty();
    }
}
