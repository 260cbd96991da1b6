package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import java.util.List;

/**
 * A principal of the directory that may perform the action on the resource.
 *
 * @param arn the user's ARN, or the role's: a role is decided as a session of it
 * @param statements the statements that decided, as {@code Engine.explain} names them
 * @param sessionKeys for a role, the keys that statements covering the action read and that differ
 *     from one session to another ({@code aws:userid}, {@code aws:PrincipalTag/team}...), in the
 *     order first read; when not empty the answer was decided for a session with no session name
 *     of note, no session tags and no source identity, and may differ for other sessions
 * @param via for a principal that reaches the action only by assuming roles, those roles in the
 *     order it assumes them (the last one performs the action); empty for a principal that may
 *     perform it itself. The statements and session keys are then those of its first step, the
 *     {@code sts:AssumeRole} on the first role.
 */
public record Grant(PrincipalType type, String arn, Verdict verdict, List<MatchedStatement> statements,
        List<String> sessionKeys, List<String> via) {

    public Grant {
        statements = List.copyOf(statements);
        sessionKeys = List.copyOf(sessionKeys);
        via = List.copyOf(via);
    }

    /** Whether another session of the role may get another answer. */
    public boolean dependsOnSession() {
        return !sessionKeys.isEmpty();
    }
}
