package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.Residual;
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
 *     be allowed, as {@code Engine.analyse} gives it; null for an allowed one
 */
public record Grant(PrincipalType type, String arn, Verdict verdict, List<MatchedStatement> statements,
        List<String> sessionKeys, List<String> via, Residual condition) {

    public Grant {
        if ((verdict == Verdict.CONDITIONAL) != (condition != null)) {
            throw new IllegalArgumentException("a conditional entry has a condition, an allowed one none");
        }
        statements = List.copyOf(statements);
        sessionKeys = List.copyOf(sessionKeys);
        via = List.copyOf(via);
    }

    /** Whether another session of the role may get another answer: its condition reads session keys. */
    public boolean dependsOnSession() {
        return !sessionKeys.isEmpty();
    }
}
